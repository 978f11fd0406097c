using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Notifications;

/// <summary>
/// Queues one message per named member of the event's trust, in the inbox's transaction: a replayed event adds nothing
/// (the inbox, and the queue's unique key on event and member). A member id of another trust, or of nobody, is skipped:
/// the lookup runs under the event's trust (row-level security).
/// </summary>
public sealed class NotificationRequestedConsumer(PolicyDbContext db, TimeProvider time, IOptions<MailOptions> options)
    : InboxConsumer<NotificationRequested, PolicyDbContext>(db)
{
    protected override string ConsumerName => "NotificationRequestedConsumer";

    protected override Task HandleAsync(NotificationRequested message, CancellationToken cancellationToken) =>
        NotificationQueue.AddAsync(Db, message, time.GetUtcNow(), options.Value, cancellationToken);
}

/// <summary>The one way a notification becomes mail: one row per member of the trust it names, unique per event and member.</summary>
public static class NotificationQueue
{
    public const int MaxRecipients = 500;

    public static async Task AddAsync(PolicyDbContext db, NotificationRequested message, DateTimeOffset now, MailOptions options, CancellationToken cancellationToken)
    {
        var ids = message.MemberIds.Distinct().Take(MaxRecipients).ToList();
        var members = await db.TrustMembers.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.DisplayName, m.Email, m.Notifications }).ToListAsync(cancellationToken);
        foreach (var member in members)
        {
            var key = $"{message.EventId}:{member.Id}";
            if (member.Notifications == Delivery.DailyDigest && !message.Safeguarding)
            {
                db.DigestItems.Add(new DigestItem
                {
                    TrustId = message.TrustId, Id = Guid.CreateVersion7(now), MemberId = member.Id, DedupeKey = key, Kind = message.Kind,
                    Subject = message.Subject, Body = message.Body, Link = message.Link, CreatedAt = now,
                });
                continue;
            }

            db.OutgoingMail.Add(new OutgoingMail
            {
                TrustId = message.TrustId, Id = Guid.CreateVersion7(now), DedupeKey = key, Kind = message.Kind,
                RecipientMemberId = member.Id, RecipientAddress = member.Email, Subject = message.Subject,
                Body = Compose(member.DisplayName, message.Body, message.Link, options), CreatedAt = now, NextAttemptAt = now,
            });
        }
    }

    /// <summary>A message's text: the greeting, the notice, its link in the console, and why the person gets it.</summary>
    public static string Compose(string displayName, string text, string? link, MailOptions options)
    {
        var body = new StringBuilder().Append("Dear ").Append(displayName).AppendLine(",").AppendLine().AppendLine(text);
        if (link is { Length: > 0 })
        {
            body.AppendLine().AppendLine(Link(link, options));
        }

        return body.AppendLine().AppendLine(Footer).ToString();
    }

    public const string Footer = "This message was sent by Trust Platform because of your role at your school or trust.";

    /// <summary>A console path as the absolute address a message shows.</summary>
    public static string Link(string path, MailOptions options) => new Uri(new Uri(options.ConsoleBaseUrl), path).ToString();
}
