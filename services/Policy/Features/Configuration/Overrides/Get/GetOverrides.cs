using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Overrides.Get;

public sealed record GetOverridesQuery(Guid SchoolId);

public sealed class GetOverrides(PolicyDbContext db) : PlatformEndpoint<GetOverridesQuery, Results<Ok<SchoolOverridesResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/policy/overrides");
        Allow(RoleSets.SchoolLeaders, Scope.PolicyRead);
        Document("Policy configuration", "Read a school's overrides",
            "The values the school set for itself within the trust's rules, each with the version it was first published in, and the school policy's " +
            "ETag (send it in If-Match to change an override or an amended section). Another school's or another trust's school is a 404.");
        Summary(s => s.ResponseExamples[200] = OverrideExamples.Mellers24Hours);
    }

    public override async Task<Results<Ok<SchoolOverridesResponse>, NotFound>> ExecuteAsync(GetOverridesQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SchoolLeaders]) || !await db.Schools.AnyAsync(s => s.Id == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var version = await db.SchoolPolicies.Where(p => p.SchoolId == query.SchoolId).Select(p => (int?)p.Version).SingleOrDefaultAsync(ct) ?? 0;
        var rows = await db.SchoolOverrides.AsNoTracking().Where(o => o.SchoolId == query.SchoolId).OrderBy(o => o.Key).ToListAsync(ct);
        ETags.Set(HttpContext.Response, version);
        return TypedResults.Ok(new SchoolOverridesResponse(query.SchoolId, version,
            rows.Select(r => new OverrideResponse(r.Key, PolicyState.Parse(r.ValueJson), r.Since, r.UpdatedBy, r.UpdatedAt)).ToList()));
    }
}
