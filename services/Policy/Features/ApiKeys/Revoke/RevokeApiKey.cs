using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.ApiKeys.Revoke;

public sealed record RevokeApiKeyCommand(Guid KeyId);

/// <summary>
/// Revokes a key on every service: here at once, elsewhere when ApiKeyRevoked reaches their replica, or,
/// if it never does, at their next reconciliation with the change feed (docs/adr/0006).
/// </summary>
public sealed class RevokeApiKey(PolicyDbContext db, ApiKeyCache keys, TimeProvider time) : PlatformEndpoint<RevokeApiKeyCommand, Results<NoContent, NotFound>>
{
    public override void Configure()
    {
        Delete("/v1/api-keys/{keyId:guid}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("API keys", "Revoke an API key",
            "Trust admins only. The key stops working here at once and on the other services within seconds (ApiKeyRevoked, or their next " +
            "reconciliation with the change feed). Revoking a revoked key is a 204 again; another trust's key is a 404.");
    }

    public override async Task<Results<NoContent, NotFound>> ExecuteAsync(RevokeApiKeyCommand command, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == command.KeyId, ct);
        if (key is null)
        {
            return TypedResults.NotFound();
        }

        if (key.RevokedAt is null)
        {
            var now = time.GetUtcNow();
            key.RevokedAt = now;
            db.AddEvent(new ApiKeyRevoked(Guid.CreateVersion7(now), key.TrustId, now, key.Id, now), "apikey:" + key.Id, now);
            await db.SaveChangesAsync(ct);
            // This instance stops the key at once; other instances of Policy within ApiKeys:CacheFor.
            keys.ForgetKey(key.Id);
        }

        return TypedResults.NoContent();
    }
}
