using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Effective;

/// <summary>A school's effective policy: every setting with its provenance (trust or school, and the version it dates from).</summary>
public static class GetEffectivePolicy
{
    public sealed record Response(Guid SchoolId, string? PublishedVersion, IReadOnlyList<EffectiveSettingResponse> Settings);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/policy/effective", Handle)
            .RequireAccess(ConfigurationAccess.SchoolReaders, Scopes.PolicyRead)
            .WithTags("Policy configuration")
            .WithName("GetEffectivePolicy");

    public static async Task<Results<Ok<Response>, NotFound>> Handle(Guid schoolId, HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, ConfigurationAccess.SchoolReaders) ||
            !await db.Schools.AnyAsync(s => s.Id == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var effective = await PolicyState.EffectiveAsync(db, schoolId, cancellationToken);
        var published = await db.PolicyVersions.AsNoTracking().Where(v => v.Status == "published")
            .Select(v => new { v.Major, v.Minor }).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new Response(schoolId, published is null ? null : $"{published.Major}.{published.Minor}",
            effective.Select(EffectiveSettingResponse.From).ToList()));
    }
}
