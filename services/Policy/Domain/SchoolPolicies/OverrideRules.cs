using System.Text.Json.Nodes;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Domain.SchoolPolicies;

/// <summary>What the trust's rule decides about a value a school wants for one setting.</summary>
public abstract record OverrideDecision
{
    private OverrideDecision()
    {
    }

    /// <summary>The school may hold <see cref="Value"/> (normalised: trimmed, sorted as the catalogue says).</summary>
    public sealed record Allowed(JsonNode? Value) : OverrideDecision;

    /// <summary>Not a value of the setting's type at all (a 400 on <c>value</c>).</summary>
    public sealed record NotAValue(string Reason) : OverrideDecision;

    /// <summary>A value of the right type that the trust's <see cref="Rule"/> does not allow a school (a 422 naming the rule and the trust value).</summary>
    public sealed record Refused(string Rule, JsonNode? TrustValue, string Reason) : OverrideDecision;
}

/// <summary>
/// The trust's rules for a school's own values (002: what a headteacher may change): a locked setting is the trust's,
/// a tighten-only one may only be stricter (24 h against the trust's 48 h, never 72 h), a union-only list may add
/// items but keep every trust item, a free one is the school's. Pure: the merge itself is <see cref="PolicyMerge"/>.
/// </summary>
public static class OverrideRules
{
    public static OverrideDecision Decide(SettingDefinition definition, TrustValue trust, JsonNode? requested)
    {
        var (value, error) = SettingValues.Normalise(definition, requested);
        if (error is not null)
        {
            return new OverrideDecision.NotAValue(error);
        }

        return PolicyMerge.Check(definition, trust, value) is { } reason
            ? new OverrideDecision.Refused(RuleName(trust.Rule), trust.Value, reason)
            : new OverrideDecision.Allowed(value);
    }

    /// <summary>The rule's API name (<c>tighten_only</c>), as the catalogue and the 422's <c>rule</c> say it.</summary>
    public static string RuleName(OverrideRule rule) => Data.Tenancy.TenantDbContext.SnakeCase(rule.ToString());
}
