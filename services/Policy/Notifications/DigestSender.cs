using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Notifications;

/// <summary>
/// Once a day, at <see cref="MailOptions.DigestHour"/>, gathers the notices held for each member who chose the daily
/// digest into one message (kind <c>daily_digest</c>), written to the mail queue with its items marked in one transaction:
/// unique per member and day, so a second replica or a repeated pass adds nothing, and an item is in exactly one digest.
/// </summary>
public sealed partial class DigestSender(IServiceScopeFactory scopes, TimeProvider time, IOptions<MailOptions> options, ILogger<DigestSender> logger)
    : TrustSweep<Guid>(scopes, time, logger)
{
    public const string Kind = "daily_digest";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override Guid TrustOf(Guid due) => due;

    /// <summary>The latest digest hour at or before <paramref name="now"/>: items written before it go in that day's digest.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, MailOptions settings)
    {
        var local = PlatformClock.LocalTime(now, settings.DigestTimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (local.Hour < settings.DigestHour)
        {
            day = day.AddDays(-1);
        }

        var at = day.ToDateTime(new TimeOnly(settings.DigestHour, 0), DateTimeKind.Unspecified);
        return TimeZoneInfo.TryFindSystemTimeZoneById(settings.DigestTimeZone, out var zone)
            ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(at, zone), TimeSpan.Zero)
            : new DateTimeOffset(at, TimeSpan.Zero);
    }

    protected override async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = Cutoff(now, options.Value);
        return await services.GetRequiredService<PolicyDbContext>().Database
            .SqlQuery<Guid>($"SELECT policy.digest_due_trusts({cutoff}) AS \"Value\"").ToListAsync(cancellationToken);
    }

    protected override async Task<int> VisitAsync(IServiceProvider scoped, Guid trust, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<PolicyDbContext>();
        var settings = options.Value;
        var cutoff = Cutoff(now, settings);
        var day = DateOnly.FromDateTime(PlatformClock.LocalTime(cutoff, settings.DigestTimeZone).DateTime);
        var items = await db.DigestItems.Where(i => i.DigestMailId == null && i.CreatedAt < cutoff).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var memberIds = items.Select(i => i.MemberId).Distinct().ToList();
        var members = await db.TrustMembers.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var digests = 0;
        foreach (var mine in items.GroupBy(i => i.MemberId))
        {
            var mail = new OutgoingMail
            {
                TrustId = trust, Id = Guid.CreateVersion7(now), DedupeKey = $"digest:{mine.Key}:{day:yyyy-MM-dd}", Kind = Kind, RecipientMemberId = mine.Key,
                CreatedAt = now, NextAttemptAt = now,
            };
            if (members.TryGetValue(mine.Key, out var member))
            {
                mail.RecipientAddress = member.Email;
                mail.Subject = $"Your Trust Platform digest for {Written.Date(day)}: {mine.Count()} {(mine.Count() == 1 ? "notice" : "notices")}";
                mail.Body = Compose(member.DisplayName, [.. mine], settings);
                db.OutgoingMail.Add(mail);
                digests++;
            }

            // A member removed since leaves their items marked, never sent: there is nobody to send them to.
            foreach (var item in mine)
            {
                item.DigestMailId = mail.Id;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica wrote today's digest for one of these members meanwhile; the next pass sees what is left.
            return 0;
        }

        Gathered(logger, trust, digests);
        return digests;
    }

    /// <summary>The digest's text: each held notice's subject, text and link, oldest first.</summary>
    public static string Compose(string displayName, IReadOnlyList<DigestItem> items, MailOptions settings)
    {
        var text = new StringBuilder("Since your last digest:").AppendLine();
        foreach (var item in items)
        {
            text.AppendLine().Append("* ").AppendLine(item.Subject).AppendLine(item.Body);
            if (item.Link is { Length: > 0 } link)
            {
                text.AppendLine(NotificationQueue.Link(link, settings));
            }
        }

        return NotificationQueue.Compose(displayName, text.ToString().TrimEnd(), null, settings);
    }

    [LoggerMessage(EventId = 7305, Level = LogLevel.Information, Message = "Gathered {Count} daily digest(s) for trust {TrustId}")]
    private static partial void Gathered(ILogger logger, Guid trustId, int count);
}
