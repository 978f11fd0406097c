using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NJsonSchema.Annotations;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Deviations;

/// <summary>A school column of the deviations table.</summary>
public sealed record DeviationSchool(Guid Id, string Name);

/// <summary>What applies at one school for one setting: its value, its source (trust or school), and the reason an override conflicts.</summary>
public sealed record DeviationCell(Guid SchoolId, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? Value, string Source, string? Conflict);

/// <summary>A setting some school has tailored: the trust's rule and value, and each school's cell.</summary>
public sealed record DeviationRow(string Key, string Rule, [property: JsonSchemaType(typeof(object)), NotNull] JsonNode? TrustValue, IReadOnlyList<DeviationCell> Schools);

/// <summary>The schools the caller sees, and every setting one of them has tailored.</summary>
public sealed record DeviationsResponse(IReadOnlyList<DeviationSchool> Schools, IReadOnlyList<DeviationRow> Settings);

/// <summary>
/// Trust-wide: every setting some school has tailored, with the trust value and each school's value side by side.
/// A caller who reaches some schools only (a school-restricted key, a chair of one school) sees those schools only.
/// </summary>
public sealed class GetDeviations(PolicyDbContext db) : PlatformEndpoint<Ok<DeviationsResponse>>
{
    public override void Configure()
    {
        Get("/v1/policy/deviations");
        Allow(RoleSets.Governance, Scope.PolicyRead);
        Document("Policy configuration", "Compare the schools' deviations from the baseline",
            "Every setting some school has tailored (e.g. Mellers' 24-hour response time against the trust's 48), with the trust's rule and value " +
            "and each school's value and source side by side. Trust admins, the chair and keys with policy:read; a caller who reaches some " +
            "schools only (a school-restricted key) sees those schools only.");
        Summary(s => s.ResponseExamples[200] = new
        {
            schools = new[]
            {
                new { id = "0193f1a0-0000-7000-8000-000000000003", name = "Mellers Primary School" },
                new { id = "0193f1a0-0000-7000-8000-000000000000", name = "Old Basford School" },
            },
            settings = new[]
            {
                new
                {
                    key = "sla.response_hours", rule = "tighten_only", trustValue = 48,
                    schools = new[]
                    {
                        new { schoolId = "0193f1a0-0000-7000-8000-000000000003", value = 24, source = "school", conflict = (string?)null },
                        new { schoolId = "0193f1a0-0000-7000-8000-000000000000", value = 48, source = "trust", conflict = (string?)null },
                    },
                },
            },
        });
    }

    public override async Task<Ok<DeviationsResponse>> ExecuteAsync(CancellationToken ct)
    {
        var schoolsQuery = db.Schools.AsNoTracking();
        var overridesQuery = db.SchoolOverrides.AsNoTracking();
        if (Caller.SchoolsFor([.. RoleSets.Governance]) is { } visible)
        {
            var ids = visible.ToArray();
            schoolsQuery = schoolsQuery.Where(s => ids.Contains(s.Id));
            overridesQuery = overridesQuery.Where(o => ids.Contains(o.SchoolId));
        }

        var schools = await schoolsQuery.OrderBy(s => s.Name).Select(s => new DeviationSchool(s.Id, s.Name)).ToListAsync(ct);
        var baseline = await PolicyState.BaselineAsync(db, ct);
        var overrides = (await overridesQuery.ToListAsync(ct)).GroupBy(o => o.SchoolId)
            .ToDictionary(g => g.Key, g => PolicyState.Overrides(g));
        var keys = overrides.Values.SelectMany(o => o.Keys).ToHashSet(StringComparer.Ordinal);
        var rows = SettingCatalogue.All.Where(d => keys.Contains(d.Key)).Select(d => new DeviationRow(
            d.Key,
            PolicyState.RuleName(baseline[d.Key].Rule),
            baseline[d.Key].Value,
            schools.Select(s =>
            {
                var effective = PolicyMerge.Resolve(d, baseline[d.Key], overrides.GetValueOrDefault(s.Id)?.GetValueOrDefault(d.Key));
                return new DeviationCell(s.Id, effective.Value, effective.Source, effective.Conflict);
            }).ToList())).ToList();
        return TypedResults.Ok(new DeviationsResponse(schools, rows));
    }
}
