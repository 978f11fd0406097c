using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Webhooks.Deliveries;

public sealed class ListWebhookDeliveriesQuery : PageQuery
{
    public Guid SubscriptionId { get; init; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>given_up</c>; every delivery when omitted.</summary>
    [QueryParam]
    public string? Status { get; init; }
}

public sealed class ListWebhookDeliveriesValidator : PageQueryValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null or "pending" or "delivered" or "given_up").WithMessage("One of pending, delivered, given_up.");
    }
}

public sealed class ListWebhookDeliveries(PolicyDbContext db)
    : PlatformEndpoint<ListWebhookDeliveriesQuery, Results<Ok<Page<WebhookDeliveryResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/webhooks/{subscriptionId:guid}/deliveries");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Webhooks", "List a subscription's deliveries",
            "Trust admins only: the delivery log, newest last (ordered by id, cursor-paginated), each with every attempt (time, HTTP status or " +
            "failure, duration). Never the receiver's answer body. Another trust's subscription is a 404.");
    }

    public override async Task<Results<Ok<Page<WebhookDeliveryResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListWebhookDeliveriesQuery query, CancellationToken ct)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == query.SubscriptionId, ct))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == query.SubscriptionId);
        deliveries = query.Status switch
        {
            "pending" => deliveries.Where(d => d.DeliveredAt == null && d.GaveUpAt == null),
            "delivered" => deliveries.Where(d => d.DeliveredAt != null),
            "given_up" => deliveries.Where(d => d.GaveUpAt != null),
            _ => deliveries,
        };
        var rows = await deliveries.TakePageAsync(after, size, ct);
        var ids = rows.Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct)).ToLookup(a => a.DeliveryId);
        return TypedResults.Ok(Paging.Build(rows, size, d => WebhookDeliveryResponse.From(d, attempts[d.Id])));
    }
}
