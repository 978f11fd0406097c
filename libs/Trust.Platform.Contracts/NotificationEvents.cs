namespace Trust.Platform.Contracts;

/// <summary>
/// A service asks for people to be told something by mail. The publishing service decides who may know, with its own
/// rules (Incidents' case visibility: never the person a case is about), and names them as members of the trust;
/// Policy, which holds their addresses and preferences, queues one message per member and sends it. The subject and
/// body are the platform's own words with a link to the console, never what a reporter typed about a case.
/// </summary>
/// <param name="Kind">The row of "who is told what" (<c>case_reported</c>, <c>case_escalated</c>, ...): for the person's preferences and the log.</param>
/// <param name="Safeguarding">Sent at once whatever the person prefers: a safeguarding notice is never held for a digest.</param>
public sealed record NotificationRequested(
    Guid EventId, Guid TrustId, DateTimeOffset OccurredAt, Guid? SchoolId,
    string Kind, IReadOnlyList<Guid> MemberIds, string Subject, string Body, string? Link, bool Safeguarding) : IIntegrationEvent;
