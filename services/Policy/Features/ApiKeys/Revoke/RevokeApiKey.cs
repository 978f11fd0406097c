using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.ApiKeys.Revoke;

/// <summary>
/// Revokes a key on every service: here at once, elsewhere when ApiKeyRevoked reaches their replica, or,
/// if it never does, at their next reconciliation with the change feed (docs/adr/0006).
/// </summary>
public static class RevokeApiKey
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete("/v1/api-keys/{keyId:guid}", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin])
            .WithTags("API keys")
            .WithName("RevokeApiKey");

    public static async Task<Results<NoContent, NotFound>> Handle(Guid keyId, PolicyDbContext db, ApiKeyCache keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return TypedResults.NotFound();
        }

        if (key.RevokedAt is null)
        {
            var now = time.GetUtcNow();
            key.RevokedAt = now;
            db.AddEvent(new ApiKeyRevoked(Guid.CreateVersion7(now), key.TrustId, now, key.Id, now), "apikey:" + key.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            // This instance stops the key at once; other instances of Policy within ApiKeys:CacheFor.
            keys.ForgetKey(key.Id);
        }

        return TypedResults.NoContent();
    }
}
