using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Policy.Notifications;

/// <summary>
/// One message to one person, written in the transaction that decided to tell them and sent by <see cref="MailSender"/>.
/// The body is plain text the platform wrote; it never quotes what a reporter or a school typed about a case.
/// </summary>
public sealed class OutgoingMail : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    /// <summary>What makes the message unique: the event (or digest) and the person. A replayed event adds nothing.</summary>
    public string DedupeKey { get; set; } = "";

    /// <summary>The row of the notification table ("case_reported_restricted", "review_due", ...): for the log and the tests.</summary>
    public string Kind { get; set; } = "";

    public Guid? RecipientMemberId { get; set; }

    public string RecipientAddress { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The SMTP reply code or the failure's type; never an address or a body.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}
