using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Policy.Webhooks;

/// <summary>An HTTPS endpoint of the trust's that receives the events it chose, signed.</summary>
public sealed class WebhookSubscription : ITenantEntity, Trust.Platform.Data.IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public string Url { get; set; } = "";

    public string? Description { get; set; }

    public string[] EventTypes { get; set; } = [];

    /// <summary>With Webhooks:SigningKey, derives the subscription's secret (<see cref="WebhookSigner"/>); not a secret by itself.</summary>
    public byte[] SecretSalt { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>One event for one subscription (or a replay of one), with its exact body.</summary>
public sealed class WebhookDelivery : ITenantEntity, Trust.Platform.Data.IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SubscriptionId { get; set; }

    public Guid EventId { get; set; }

    public string EventType { get; set; } = "";

    public string Payload { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? GaveUpAt { get; set; }

    public Guid? ReplayOf { get; set; }
}

/// <summary>One HTTP attempt of a delivery, for the delivery log.</summary>
public sealed class WebhookAttempt : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid DeliveryId { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    public int? StatusCode { get; set; }

    public string Outcome { get; set; } = "";

    public int DurationMs { get; set; }
}
