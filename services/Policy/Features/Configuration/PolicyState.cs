using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NJsonSchema.Annotations;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration;

/// <summary>Loads the trust's baseline and schools' overrides and resolves effective policies (shared by the configuration use cases).</summary>
public static class PolicyState
{
    public static string RuleName(OverrideRule rule) => Data.Tenancy.TenantDbContext.SnakeCase(rule.ToString());

    public static OverrideRule ParseRule(string rule) => Enum.Parse<OverrideRule>(rule.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    public static async Task<TrustPolicy> EnsureTrustPolicyAsync(PolicyDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = await db.TrustPolicies.SingleOrDefaultAsync(cancellationToken);
        if (policy is null)
        {
            policy = new TrustPolicy { TrustId = db.Tenant.TrustId!.Value, Version = 1, UpdatedAt = now };
            db.TrustPolicies.Add(policy);
        }

        return policy;
    }

    public static async Task<SchoolPolicy> EnsureSchoolPolicyAsync(PolicyDbContext db, Guid schoolId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = await db.SchoolPolicies.SingleOrDefaultAsync(p => p.SchoolId == schoolId, cancellationToken);
        if (policy is null)
        {
            policy = new SchoolPolicy { TrustId = db.Tenant.TrustId!.Value, SchoolId = schoolId, Version = 1, UpdatedAt = now };
            db.SchoolPolicies.Add(policy);
        }

        return policy;
    }

    public static async Task<Dictionary<string, TrustValue>> BaselineAsync(PolicyDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.BaselineSettings.AsNoTracking().ToListAsync(cancellationToken);
        return Baseline(rows);
    }

    /// <summary>Every catalogue setting's trust value: the trust's row or the catalogue default and rule.</summary>
    public static Dictionary<string, TrustValue> Baseline(IEnumerable<BaselineSetting> rows)
    {
        var byKey = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
        return SettingCatalogue.All.ToDictionary(
            d => d.Key,
            d => byKey.TryGetValue(d.Key, out var row)
                ? new TrustValue(Parse(row.ValueJson), ParseRule(row.Rule), row.Since)
                : new TrustValue(SettingValues.DefaultOf(d), d.Rule),
            StringComparer.Ordinal);
    }

    public static Dictionary<string, SchoolValue> Overrides(IEnumerable<SchoolOverride> rows) =>
        rows.ToDictionary(r => r.Key, r => new SchoolValue(Parse(r.ValueJson), r.Since), StringComparer.Ordinal);

    public static List<EffectiveSetting> Effective(IReadOnlyDictionary<string, TrustValue> baseline, IReadOnlyDictionary<string, SchoolValue> overrides) =>
        SettingCatalogue.All.Select(d => PolicyMerge.Resolve(d, baseline[d.Key], overrides.GetValueOrDefault(d.Key))).ToList();

    public static async Task<List<EffectiveSetting>> EffectiveAsync(PolicyDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var baseline = await BaselineAsync(db, cancellationToken);
        var overrides = await db.SchoolOverrides.AsNoTracking().Where(o => o.SchoolId == schoolId).ToListAsync(cancellationToken);
        return Effective(baseline, Overrides(overrides));
    }

    /// <summary>For each school with an override that the given baseline no longer allows: which setting and why.</summary>
    public static async Task<List<Conflict>> ConflictsAsync(PolicyDbContext db, IReadOnlyDictionary<string, TrustValue> baseline, CancellationToken cancellationToken)
    {
        var overrides = await db.SchoolOverrides.AsNoTracking().ToListAsync(cancellationToken);
        var names = await db.Schools.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var conflicts = new List<Conflict>();
        foreach (var row in overrides.OrderBy(o => names.GetValueOrDefault(o.SchoolId)).ThenBy(o => o.Key))
        {
            if (!SettingCatalogue.ByKey.TryGetValue(row.Key, out var definition))
            {
                continue;
            }

            var trust = baseline[row.Key];
            if (PolicyMerge.Check(definition, trust, Parse(row.ValueJson)) is { } reason)
            {
                conflicts.Add(new Conflict(row.SchoolId, names.GetValueOrDefault(row.SchoolId, ""), row.Key, RuleName(trust.Rule), trust.Value, Parse(row.ValueJson), reason));
            }
        }

        return conflicts;
    }
}

/// <summary>A school override the (proposed) baseline would no longer allow.</summary>
public sealed record Conflict(
    Guid SchoolId, string SchoolName, string Key, string Rule, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? TrustValue, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? SchoolValue, string Reason);

public sealed record EffectiveSettingResponse(
    string Key, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? Value, string Source, string? Since, string Rule, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? TrustValue, string? Conflict)
{
    public static EffectiveSettingResponse From(EffectiveSetting s) =>
        new(s.Key, s.Value, s.Source, s.Since, PolicyState.RuleName(s.Rule), s.TrustValue, s.Conflict);
}
