using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Webhooks;

namespace Trust.Platform.Policy.Features.Webhooks.Replay;

public sealed record ReplayWebhookDeliveryCommand(Guid SubscriptionId, Guid DeliveryId);

/// <summary>Sends a delivery's event again, as a new delivery with the same body and event id.</summary>
public sealed class ReplayWebhookDelivery(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<ReplayWebhookDeliveryCommand, Results<Accepted<WebhookDeliveryResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/webhooks/{subscriptionId:guid}/deliveries/{deliveryId:guid}/replay");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Webhooks", "Replay a delivery",
            "Trust admins only: for a receiver that lost an event or was down for longer than the day of retries. The event is queued again " +
            "as a new delivery (same body, same Trust-Platform-Event-Id, so a receiver that de-duplicates keeps one copy) and sent at once, " +
            "with its own retries. A disabled subscription is a 409; another trust's delivery is a 404.");
        Problems(409);
    }

    public override async Task<Results<Accepted<WebhookDeliveryResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(ReplayWebhookDeliveryCommand command, CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == command.SubscriptionId, ct);
        var original = subscription is null
            ? null
            : await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == command.DeliveryId && d.SubscriptionId == command.SubscriptionId, ct);
        if (subscription is null || original is null)
        {
            return TypedResults.NotFound();
        }

        if (subscription.DisabledAt is not null)
        {
            return ApiProblem.WrongState("The subscription is deleted: nothing is sent to it any more.", "disabled");
        }

        var now = time.GetUtcNow();
        var replay = new WebhookDelivery
        {
            TrustId = original.TrustId, Id = Guid.CreateVersion7(now), SubscriptionId = original.SubscriptionId, EventId = original.EventId,
            EventType = original.EventType, Payload = original.Payload, CreatedAt = now, NextAttemptAt = now, ReplayOf = original.ReplayOf ?? original.Id,
        };
        db.WebhookDeliveries.Add(replay);
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/v1/webhooks/{subscription.Id}/deliveries?status=pending", WebhookDeliveryResponse.From(replay, []));
    }
}
