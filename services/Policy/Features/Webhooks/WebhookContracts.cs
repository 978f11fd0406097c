using Trust.Platform.Policy.Webhooks;

namespace Trust.Platform.Policy.Features.Webhooks;

/// <summary>A webhook subscription; never its secret.</summary>
/// <param name="Status"><c>active</c>, or <c>disabled</c> once deleted (its delivery log stays readable).</param>
public sealed record WebhookSubscriptionResponse(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)
{
    public static WebhookSubscriptionResponse From(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Description, s.EventTypes, s.DisabledAt is null ? "active" : "disabled", s.CreatedAt, s.DisabledAt);
}

/// <summary>One HTTP attempt of a delivery.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came.</param>
/// <param name="Outcome"><c>http NNN</c>, <c>timeout</c>, <c>connection_failed</c>, <c>tls_failed</c>, <c>name_not_resolved</c>, <c>address_not_public</c>, <c>subscription_disabled</c>.</param>
public sealed record WebhookAttemptResponse(int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, string Outcome, int DurationMs);

/// <summary>One event sent (or being sent) to a subscription, with every attempt.</summary>
/// <param name="Status"><c>pending</c> (next attempt at <paramref name="NextAttemptAt"/>), <c>delivered</c> or <c>given_up</c> (a day of failures).</param>
/// <param name="ReplayOf">The delivery this one replays, when it is a replay.</param>
public sealed record WebhookDeliveryResponse(
    Guid Id, Guid EventId, string EventType, string Status, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt,
    DateTimeOffset? GaveUpAt, Guid? ReplayOf, IReadOnlyList<WebhookAttemptResponse> Attempts)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d, IEnumerable<WebhookAttempt> attempts) => new(
        d.Id, d.EventId, d.EventType, StatusOf(d), d.CreatedAt, StatusOf(d) == "pending" ? d.NextAttemptAt : null, d.DeliveredAt, d.GaveUpAt, d.ReplayOf,
        [.. attempts.OrderBy(a => a.Attempt).Select(a => new WebhookAttemptResponse(a.Attempt, a.AttemptedAt, a.StatusCode, a.Outcome, a.DurationMs))]);

    public static string StatusOf(WebhookDelivery d) => d.DeliveredAt is not null ? "delivered" : d.GaveUpAt is not null ? "given_up" : "pending";
}
