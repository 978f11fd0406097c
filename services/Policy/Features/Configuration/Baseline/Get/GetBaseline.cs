using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Baseline.Get;

public sealed class GetBaseline(PolicyDbContext db) : PlatformEndpoint<Ok<BaselineResponse>>
{
    public override void Configure()
    {
        Get("/v1/policy/baseline");
        Allow(RoleSets.TrustReaders, Scope.PolicyRead);
        Document("Policy configuration", "Read the trust's baseline",
            "Every setting of the catalogue with the trust's value and the rule schools follow (free, tighten-only, union-only, locked), or the " +
            "catalogue default while the trust has not set it. Trust admins, headteachers, the chair and keys with policy:read. The ETag is the " +
            "baseline's version: send it in If-Match to change a setting.");
    }

    public override async Task<Ok<BaselineResponse>> ExecuteAsync(CancellationToken ct)
    {
        var version = await db.TrustPolicies.AsNoTracking().Select(p => (int?)p.Version).SingleOrDefaultAsync(ct) ?? 0;
        var rows = await db.BaselineSettings.AsNoTracking().ToDictionaryAsync(r => r.Key, ct);
        var baseline = PolicyState.Baseline(rows.Values);
        ETags.Set(HttpContext.Response, version);
        return TypedResults.Ok(new BaselineResponse(version, SettingCatalogue.All.Select(d => new BaselineSettingResponse(
            d.Key, baseline[d.Key].Value, PolicyState.RuleName(baseline[d.Key].Rule), baseline[d.Key].Since, !rows.ContainsKey(d.Key))).ToList()));
    }
}
