using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Accounts.Model;

public enum PostStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// A draft post for an official account and its one decision (002 l.143: "Staff will get content approved by the marketing
/// officer before it is posted"). The submitted text is never changed; an approval keeps the text to publish beside it.
/// </summary>
public sealed class Post : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public Guid AccountId { get; set; }

    public string SubmittedBy { get; set; } = "";

    public string? SubmittedByName { get; set; }

    public Guid? SubmittedByStaffId { get; set; }

    public string Text { get; set; } = "";

    public string Category { get; set; } = "";

    public DateTimeOffset PublishAt { get; set; }

    public string? MediaDescription { get; set; }

    /// <summary>The school's <c>accounts.who_may_post</c> when the post was submitted (who was told it waits).</summary>
    public string[] ApproverRoles { get; set; } = [];

    /// <summary>The school's <c>posts.tone_keywords</c> when the post was submitted: the checklist its approver confirms.</summary>
    public string[] ToneKeywords { get; set; } = [];

    public string PolicyVersion { get; set; } = "";

    public PostStatus Status { get; set; }

    /// <summary>The text to publish: the submitted text, or the approver's edit of it. Null until approved.</summary>
    public string? FinalText { get; set; }

    /// <summary>The tone keywords the approver confirmed the post keeps.</summary>
    public string[] ToneConfirmed { get; set; } = [];

    public string? DecisionReason { get; set; }

    public string? DecidedBy { get; set; }

    public string? DecidedByName { get; set; }

    public Guid? DecidedByStaffId { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; } = 1;
}
