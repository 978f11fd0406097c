using System.Text.Json.Nodes;

namespace Trust.Platform.Policy.Configuration;

/// <summary>The trust's value of a setting and the rule it set for schools; <see cref="Since"/> is the published version the value dates from (null: not yet published).</summary>
public sealed record TrustValue(JsonNode? Value, OverrideRule Rule, string? Since = null);

/// <summary>A school's override; <see cref="Since"/> as for <see cref="TrustValue"/>.</summary>
public sealed record SchoolValue(JsonNode? Value, string? Since = null);

/// <summary>One effective setting of a school with its provenance (like the Chrome Policy API's sourceKey).</summary>
public sealed record EffectiveSetting(
    string Key,
    JsonNode? Value,
    string Source,
    string? Since,
    OverrideRule Rule,
    JsonNode? TrustValue,
    JsonNode? SchoolValue,
    string? Conflict);

/// <summary>
/// Inherit, override, lock: the effective value of a school is computed, never stored. Pure functions,
/// so the rules can be tested exhaustively (tests/.../PolicyMergeProperties).
/// </summary>
public static class PolicyMerge
{
    public const string FromTrust = "trust";
    public const string FromSchool = "school";

    /// <summary>Null when <paramref name="proposed"/> is allowed for a school under the trust's value and rule, else why not.</summary>
    public static string? Check(SettingDefinition definition, TrustValue trust, JsonNode? proposed)
    {
        switch (trust.Rule)
        {
            case OverrideRule.Locked:
                return "locked: schools inherit the trust value";
            case OverrideRule.Free:
                return null;
            case OverrideRule.TightenOnly:
                if (trust.Value is null || proposed is null)
                {
                    return trust.Value is null ? null : "tighten-only: a value is required";
                }

                var stricterIsLower = (definition.StricterIs ?? Stricter.Lower) == Stricter.Lower;
                var school = SettingValues.Rank(definition, proposed);
                var baseline = SettingValues.Rank(definition, trust.Value);
                return (stricterIsLower ? school <= baseline : school >= baseline)
                    ? null
                    : $"tighten-only: a school may only set a value {(stricterIsLower ? "lower than or equal to" : "higher than or equal to")} the trust's";
            case OverrideRule.UnionOnly:
                var missing = Items(trust.Value).Where(t => !Items(proposed).Any(p => SettingValues.ItemKey(p) == SettingValues.ItemKey(t))).ToList();
                return missing.Count == 0
                    ? null
                    : $"union-only: a school may add items but not remove the trust's ({string.Join(", ", missing.Select(m => m?.ToJsonString()))})";
            default:
                return "unknown rule";
        }
    }

    /// <summary>The school's effective value: the override where the rule allows it, else the trust value (and the conflict, if an override is now invalid).</summary>
    public static EffectiveSetting Resolve(SettingDefinition definition, TrustValue trust, SchoolValue? school)
    {
        if (school is null)
        {
            return new(definition.Key, trust.Value?.DeepClone(), FromTrust, trust.Since, trust.Rule, trust.Value?.DeepClone(), null, null);
        }

        var conflict = Check(definition, trust, school.Value);
        if (conflict is not null)
        {
            // A trust change made this override invalid: the trust value applies until the school or trust resolves it.
            return new(definition.Key, trust.Value?.DeepClone(), FromTrust, trust.Since, trust.Rule, trust.Value?.DeepClone(), school.Value?.DeepClone(), conflict);
        }

        if (trust.Rule == OverrideRule.UnionOnly)
        {
            var union = Union(trust.Value, school.Value);
            var added = union.Count > Items(trust.Value).Count();
            return new(definition.Key, union, added ? FromSchool : FromTrust, added ? school.Since : trust.Since, trust.Rule, trust.Value?.DeepClone(), school.Value?.DeepClone(), null);
        }

        return new(definition.Key, school.Value?.DeepClone(), FromSchool, school.Since, trust.Rule, trust.Value?.DeepClone(), school.Value?.DeepClone(), null);
    }

    /// <summary>The trust's items first, then the school's additions, each once.</summary>
    public static JsonArray Union(JsonNode? trust, JsonNode? school)
    {
        var result = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(trust).Concat(Items(school)))
        {
            if (seen.Add(SettingValues.ItemKey(item)))
            {
                result.Add(item?.DeepClone());
            }
        }

        return result;
    }

    private static IEnumerable<JsonNode?> Items(JsonNode? list) => list as JsonArray ?? [];
}
