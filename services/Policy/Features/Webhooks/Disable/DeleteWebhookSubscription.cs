using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Webhooks.Disable;

public sealed record DeleteWebhookSubscriptionCommand(Guid SubscriptionId);

/// <summary>Stops a subscription: no new deliveries, pending ones are given up at their next attempt; the log stays.</summary>
public sealed class DeleteWebhookSubscription(PolicyDbContext db, TimeProvider time) : PlatformEndpoint<DeleteWebhookSubscriptionCommand, Results<NoContent, NotFound>>
{
    public override void Configure()
    {
        Delete("/v1/webhooks/{subscriptionId:guid}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Webhooks", "Delete a webhook subscription",
            "Trust admins only. Nothing more is sent to it, pending deliveries included; the subscription and its delivery log stay readable " +
            "(status `disabled`). Deleting it again is a 204; another trust's is a 404.");
    }

    public override async Task<Results<NoContent, NotFound>> ExecuteAsync(DeleteWebhookSubscriptionCommand command, CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == command.SubscriptionId, ct);
        if (subscription is null)
        {
            return TypedResults.NotFound();
        }

        subscription.DisabledAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
