using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using NJsonSchema.Annotations;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Features.Configuration.Baseline;

/// <summary>One setting of the trust's baseline: its value, the rule schools follow, and whether it is still the catalogue default.</summary>
/// <param name="Since">The policy version the value dates from; null until a version with it is published.</param>
public sealed record BaselineSettingResponse(string Key, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? Value, string Rule, string? Since, bool IsDefault);

/// <summary>The trust's baseline: every setting of the catalogue, and the version to send back in If-Match.</summary>
public sealed record BaselineResponse(int Version, IReadOnlyList<BaselineSettingResponse> Settings);

/// <summary>The rules a proposed baseline value and rule must pass, from the catalogue alone (no database).</summary>
internal static class BaselineRules
{
    public const int MaxKeyLength = 100;

    /// <summary>Why <paramref name="value"/> is not a value of <paramref name="key"/>, or null (also for a key not in the catalogue: that is a 404 or its own error).</summary>
    public static string? ValueError(string? key, JsonElement? value) =>
        value is { } raw && key is not null && SettingCatalogue.ByKey.TryGetValue(key, out var definition)
            ? SettingValues.Normalise(definition, ConfigurationAccess.ToNode(raw)).Error
            : null;

    /// <summary>Whether <paramref name="rule"/> may govern <paramref name="key"/> (true for a key not in the catalogue).</summary>
    public static bool RuleAllowed(string? key, OverrideRule? rule) =>
        rule is null || key is null || !SettingCatalogue.ByKey.TryGetValue(key, out var definition) || definition.AllowedRules.Contains(rule.Value);

    public static string AllowedRules(string key) =>
        $"{key} allows: {string.Join(", ", SettingCatalogue.ByKey[key].AllowedRules.Select(PolicyState.RuleName))}.";

    public static IRuleBuilderOptions<T, JsonElement?> ValueOf<T>(this IRuleBuilder<T, JsonElement?> rule, Func<T, string?> key) =>
        rule.Must((x, value, context) =>
        {
            if (ValueError(key(x), value) is not { } error)
            {
                return true;
            }

            context.MessageFormatter.AppendArgument("Reason", error);
            return false;
        }).WithMessage("{Reason}");
}
