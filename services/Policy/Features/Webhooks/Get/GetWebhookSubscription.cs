using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Webhooks.Get;

public sealed record GetWebhookSubscriptionQuery(Guid SubscriptionId);

public sealed class GetWebhookSubscription(PolicyDbContext db) : PlatformEndpoint<GetWebhookSubscriptionQuery, Results<Ok<WebhookSubscriptionResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/webhooks/{subscriptionId:guid}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Webhooks", "Get a webhook subscription", "Trust admins only; another trust's subscription is a 404. Never the secret.");
    }

    public override async Task<Results<Ok<WebhookSubscriptionResponse>, NotFound>> ExecuteAsync(GetWebhookSubscriptionQuery query, CancellationToken ct) =>
        await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == query.SubscriptionId, ct) is { } subscription
            ? TypedResults.Ok(WebhookSubscriptionResponse.From(subscription))
            : TypedResults.NotFound();
}
