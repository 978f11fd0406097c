using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Trusts.Get;

public static class GetTrust
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/trusts/{trustId:guid}", Handle)
            .RequireAccess([Roles.PlatformOperator, Roles.TrustAdmin], Scopes.DirectoryRead)
            .WithTags("Trusts")
            .WithName("GetTrust");

    public static async Task<Results<Ok<TrustResponse>, NotFound>> Handle(
        Guid trustId, HttpContext http, PolicyDbContext db, TenantContext tenant, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        if (principal.TrustId is null && principal.HasRole(Roles.PlatformOperator))
        {
            tenant.Set(trustId);
        }
        else if (principal.TrustId != trustId)
        {
            return TypedResults.NotFound(); // Another trust's record: do not reveal that it exists.
        }

        var trust = await db.Trusts.AsNoTracking().SingleOrDefaultAsync(t => t.TrustId == trustId, cancellationToken);
        return trust is null ? TypedResults.NotFound() : TypedResults.Ok(new TrustResponse(trust.TrustId, trust.Name, trust.CreatedAt));
    }
}
