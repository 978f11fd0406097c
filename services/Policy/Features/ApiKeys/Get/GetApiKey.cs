using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.ApiKeys.Get;

public static class GetApiKey
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/api-keys/{keyId:guid}", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin])
            .WithTags("API keys")
            .WithName("GetApiKey");

    public static async Task<Results<Ok<ApiKeyResponse>, NotFound>> Handle(Guid keyId, PolicyDbContext db, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        return key is null ? TypedResults.NotFound() : TypedResults.Ok(ApiKeyResponse.From(key));
    }
}
