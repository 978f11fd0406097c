using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Overrides;

public static class GetOverrides
{
    public sealed record OverrideResponse(string Key, JsonNode? Value, string? Since, string UpdatedBy, DateTimeOffset UpdatedAt);

    public sealed record Response(Guid SchoolId, int Version, IReadOnlyList<OverrideResponse> Overrides);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/policy/overrides", Handle)
            .RequireAccess(ConfigurationAccess.SchoolEditors, Scopes.PolicyRead)
            .WithTags("Policy configuration")
            .WithName("GetOverrides");

    public static async Task<Results<Ok<Response>, NotFound>> Handle(Guid schoolId, HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, ConfigurationAccess.SchoolEditors) ||
            !await db.Schools.AnyAsync(s => s.Id == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var version = await db.SchoolPolicies.Where(p => p.SchoolId == schoolId).Select(p => (int?)p.Version).SingleOrDefaultAsync(cancellationToken) ?? 0;
        var rows = await db.SchoolOverrides.AsNoTracking().Where(o => o.SchoolId == schoolId).OrderBy(o => o.Key).ToListAsync(cancellationToken);
        ETags.Set(http.Response, version);
        return TypedResults.Ok(new Response(schoolId, version,
            rows.Select(r => new OverrideResponse(r.Key, PolicyState.Parse(r.ValueJson), r.Since, r.UpdatedBy, r.UpdatedAt)).ToList()));
    }
}
