namespace Trust.Platform.Contracts;

/// <summary>
/// A member of staff submitted a draft post for an official account; it waits for a holder of a role of the school's
/// <c>accounts.who_may_post</c> (002 l.143: "Staff will get content approved by the marketing officer before it is posted").
/// Ids and facts only: a consumer that needs the text reads the post.
/// </summary>
public sealed record PostSubmitted(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid PostId, Guid AccountId, string Category, DateTimeOffset PublishAt,
    /// <summary>The roles that may approve it, as the school's policy named them when it was submitted.</summary>
    IReadOnlyList<string> ApproverRoles) : ISchoolEvent;

/// <summary>A post was approved (possibly with an edited final text) or rejected.</summary>
public sealed record PostDecided(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid PostId, Guid AccountId,
    /// <summary><c>approved</c> or <c>rejected</c>.</summary>
    string Outcome,
    /// <summary>True when the approver changed the text: the final text is the one to publish.</summary>
    bool Edited,
    DateTimeOffset PublishAt) : ISchoolEvent;

/// <summary>An official account's review falls due (2 weeks before, on the date) or is overdue; each reminder once per review date.</summary>
public sealed record AccountReviewDue(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid AccountId, string Platform, string Handle, DateOnly ReviewDate,
    /// <summary><c>2_weeks</c>, <c>due</c> or <c>overdue</c>.</summary>
    string Reminder) : ISchoolEvent;
