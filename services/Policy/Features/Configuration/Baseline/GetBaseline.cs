using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Baseline;

public static class GetBaseline
{
    public sealed record BaselineSettingResponse(string Key, JsonNode? Value, string Rule, string? Since, bool IsDefault);

    public sealed record Response(int Version, IReadOnlyList<BaselineSettingResponse> Settings);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/policy/baseline", Handle)
            .RequireAccess(ConfigurationAccess.TrustReaders, Scopes.PolicyRead)
            .WithTags("Policy configuration")
            .WithName("GetBaseline");

    public static async Task<Ok<Response>> Handle(HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        var version = await db.TrustPolicies.AsNoTracking().Select(p => (int?)p.Version).SingleOrDefaultAsync(cancellationToken) ?? 0;
        var rows = await db.BaselineSettings.AsNoTracking().ToDictionaryAsync(r => r.Key, cancellationToken);
        var baseline = PolicyState.Baseline(rows.Values);
        ETags.Set(http.Response, version);
        return TypedResults.Ok(new Response(version, SettingCatalogue.All.Select(d => new BaselineSettingResponse(
            d.Key, baseline[d.Key].Value, PolicyState.RuleName(baseline[d.Key].Rule), baseline[d.Key].Since, !rows.ContainsKey(d.Key))).ToList()));
    }
}
