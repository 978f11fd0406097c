using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Deviations;

/// <summary>
/// Trust-wide: every setting some school has tailored, with the trust value and each school's value side by side.
/// A caller who reaches some schools only (a school-restricted key, a chair of one school) sees those schools only.
/// </summary>
public static class GetDeviations
{
    public sealed record SchoolColumn(Guid Id, string Name);

    public sealed record SchoolCell(Guid SchoolId, JsonNode? Value, string Source, string? Conflict);

    public sealed record Row(string Key, string Rule, JsonNode? TrustValue, IReadOnlyList<SchoolCell> Schools);

    public sealed record Response(IReadOnlyList<SchoolColumn> Schools, IReadOnlyList<Row> Settings);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/policy/deviations", Handle)
            .RequireAccess(ConfigurationAccess.Oversight, Scopes.PolicyRead)
            .WithTags("Policy configuration")
            .WithName("GetDeviations");

    public static async Task<Ok<Response>> Handle(HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        var schoolsQuery = db.Schools.AsNoTracking();
        var overridesQuery = db.SchoolOverrides.AsNoTracking();
        if (http.Principal().SchoolsFor(ConfigurationAccess.Oversight) is { } visible)
        {
            var ids = visible.ToArray();
            schoolsQuery = schoolsQuery.Where(s => ids.Contains(s.Id));
            overridesQuery = overridesQuery.Where(o => ids.Contains(o.SchoolId));
        }

        var schools = await schoolsQuery.OrderBy(s => s.Name).Select(s => new SchoolColumn(s.Id, s.Name)).ToListAsync(cancellationToken);
        var baseline = await PolicyState.BaselineAsync(db, cancellationToken);
        var overrides = (await overridesQuery.ToListAsync(cancellationToken)).GroupBy(o => o.SchoolId)
            .ToDictionary(g => g.Key, g => PolicyState.Overrides(g));
        var keys = overrides.Values.SelectMany(o => o.Keys).ToHashSet(StringComparer.Ordinal);
        var rows = SettingCatalogue.All.Where(d => keys.Contains(d.Key)).Select(d => new Row(
            d.Key,
            PolicyState.RuleName(baseline[d.Key].Rule),
            baseline[d.Key].Value,
            schools.Select(s =>
            {
                var effective = PolicyMerge.Resolve(d, baseline[d.Key], overrides.GetValueOrDefault(s.Id)?.GetValueOrDefault(d.Key));
                return new SchoolCell(s.Id, effective.Value, effective.Source, effective.Conflict);
            }).ToList())).ToList();
        return TypedResults.Ok(new Response(schools, rows));
    }
}
