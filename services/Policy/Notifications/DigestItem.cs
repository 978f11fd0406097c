using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Policy.Notifications;

/// <summary>How a member hears of things.</summary>
public static class Delivery
{
    public const string Immediate = "immediate";
    public const string DailyDigest = "daily_digest";

    public static readonly string[] All = [Immediate, DailyDigest];
}

/// <summary>
/// A notice held for a member who chose the daily digest: what the message would have said, unique per event and member
/// as the message would have been, until <see cref="DigestSender"/> gathers it into the day's one message.
/// </summary>
public sealed class DigestItem : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid MemberId { get; set; }

    public string DedupeKey { get; set; } = "";

    public string Kind { get; set; } = "";

    public string Subject { get; set; } = "";

    /// <summary>The notice's own text (without the greeting and footer a message adds).</summary>
    public string Body { get; set; } = "";

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The digest message this item went out in; null while it waits.</summary>
    public Guid? DigestMailId { get; set; }
}
