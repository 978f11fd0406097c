using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.ApiKeys.Get;

public sealed record GetApiKeyQuery(Guid KeyId);

public sealed class GetApiKey(PolicyDbContext db) : PlatformEndpoint<GetApiKeyQuery, Results<Ok<ApiKeyResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/api-keys/{keyId:guid}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("API keys", "Read an API key",
            "Trust admins only: its name, prefix, scopes, schools, limits, expiry, revocation and last use; never the key itself. Another trust's key is a 404.");
    }

    public override async Task<Results<Ok<ApiKeyResponse>, NotFound>> ExecuteAsync(GetApiKeyQuery query, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == query.KeyId, ct);
        return key is null ? TypedResults.NotFound() : TypedResults.Ok(ApiKeyResponse.From(key));
    }
}
