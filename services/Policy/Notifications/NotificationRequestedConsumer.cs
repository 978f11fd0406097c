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
        var members = await db.TrustMembers.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.DisplayName, m.Email }).ToListAsync(cancellationToken);
        foreach (var member in members)
        {
            db.OutgoingMail.Add(new OutgoingMail
            {
                TrustId = message.TrustId, Id = Guid.CreateVersion7(now), DedupeKey = $"{message.EventId}:{member.Id}", Kind = message.Kind,
                RecipientMemberId = member.Id, RecipientAddress = member.Email, Subject = message.Subject,
                Body = Compose(member.DisplayName, message, options), CreatedAt = now, NextAttemptAt = now,
            });
        }
    }

    public static string Compose(string displayName, NotificationRequested message, MailOptions options)
    {
        var body = new StringBuilder().Append("Dear ").Append(displayName).AppendLine(",").AppendLine().AppendLine(message.Body);
        if (message.Link is { Length: > 0 } link)
        {
            body.AppendLine().AppendLine(new Uri(new Uri(options.ConsoleBaseUrl), link).ToString());
        }

        return body.AppendLine().AppendLine("This message was sent by Trust Platform because of your role at your school or trust.").ToString();
    }
}
