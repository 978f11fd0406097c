namespace Trust.Platform.Contracts;

/// <summary>
/// Every event on the wire carries its trust (tenant), an id that doubles as the message id
/// (consumers' inboxes key on it) and when it happened. W3C trace context travels in the
/// message headers, not in the body.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    Guid TrustId { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An event that belongs to one school of a trust.</summary>
public interface ISchoolEvent : IIntegrationEvent
{
    Guid SchoolId { get; }
}
