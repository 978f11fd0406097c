using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Notifications;

/// <summary>
/// "Who is told what", review reminders: each reminder of a school's policy review (2 months, 1 month, 1 week before,
/// on the day, overdue) goes to the trust's admins (the CEO, who owns the baseline) and the school's headteacher, who
/// answers for the school's document (its `document.owner` is a name in the text, not yet a member). One message per
/// person per reminder, queued in the inbox's transaction; people in both posts get one.
/// </summary>
public sealed class ReviewDueMail(PolicyDbContext db, TimeProvider time, IOptions<MailOptions> options) : InboxConsumer<PolicyReviewDue, PolicyDbContext>(db)
{
    public const string Kind = "policy_review_due";

    protected override string ConsumerName => "ReviewDueMail";

    protected override async Task HandleAsync(PolicyReviewDue message, CancellationToken cancellationToken)
    {
        var found = await Db.Schools.AsNoTracking().Where(s => s.Id == message.SchoolId).Select(s => new { s.Name, s.TimeZone }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return;
        }

        var school = found.Name;
        var today = time.TodayAt(found.TimeZone);
        var admins = await Db.Appointments.AsNoTracking().Where(Appointments.HeldOn(today))
            .Where(a => (a.SchoolId == null && a.Role == Role.TrustAdmin) || (a.SchoolId == message.SchoolId && a.Role == Role.Headteacher))
            .Select(a => a.MemberId).Distinct().ToListAsync(cancellationToken);
        var date = Written.Date(message.ReviewDate);
        var (subject, text) = message.Reminder switch
        {
            "overdue" => ($"Policy review overdue: {school}", $"The social media policy of {school} was due for review on {date} and has not been reviewed."),
            "due" => ($"Policy review due today: {school}", $"The social media policy of {school} is due for review today, {date}."),
            _ => ($"Policy review due on {date}: {school}", $"The social media policy of {school} is due for review on {date}."),
        };
        var request = new NotificationRequested(message.EventId, message.TrustId, message.OccurredAt, message.SchoolId, Kind, admins, subject, text,
            "/policy/reviews", Safeguarding: false);
        await NotificationQueue.AddAsync(Db, request, time.GetUtcNow(), options.Value, cancellationToken);
    }
}
