using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;
using Trust.Platform.Policy.Notifications;

namespace Trust.Platform.Policy.Features.People.Leavers;

/// <summary>
/// A person left a school's roster (Training's StaffLeft, sent when their leave date has come): the member linked to that
/// roster person loses every post they hold at that school (AppointmentEnded, reason left), and MemberLeft tells the
/// notifier to write to the school's headteacher, naming the posts that now stand empty. Their posts at other schools and
/// across the trust stay: they left this school, not the trust. A roster person who is no member changes nothing.
/// </summary>
public sealed class StaffLeftConsumer(PolicyDbContext db, TimeProvider time, IOptions<MailOptions> mail) : InboxConsumer<StaffLeft, PolicyDbContext>(db)
{
    protected override string ConsumerName => "PeopleStaffLeftConsumer";

    protected override async Task HandleAsync(StaffLeft message, CancellationToken cancellationToken)
    {
        var member = await Db.TrustMembers.AsNoTracking().SingleOrDefaultAsync(m => m.StaffId == message.StaffId, cancellationToken);
        if (member is null)
        {
            return;
        }

        var posts = await Db.Appointments
            .Where(a => a.MemberId == member.Id && a.SchoolId == message.SchoolId && a.EndedAt == null)
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var post in posts)
        {
            PeopleEvents.End(Db, post, PeopleEvents.Left, now);
        }

        var left = new MemberLeft(Guid.CreateVersion7(now), message.TrustId, message.SchoolId, now, member.Id, message.StaffId, message.LeaveDate,
            [.. posts.Select(p => p.Role).Distinct()]);
        Db.AddEvent(left, member.Id.ToString(), now);
        await TellHeadteachersAsync(left, member.DisplayName, now, cancellationToken);
    }

    /// <summary>"Who is told what", leavers: the school's headteachers, in this transaction, one message each.</summary>
    private async Task TellHeadteachersAsync(MemberLeft left, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var school = await Db.Schools.AsNoTracking().Where(s => s.Id == left.SchoolId).Select(s => new { s.Name, s.TimeZone }).SingleAsync(cancellationToken);
        var today = time.TodayAt(school.TimeZone);
        var headteachers = await Db.Appointments.AsNoTracking().Where(Appointments.HeldOn(today))
            .Where(a => a.SchoolId == left.SchoolId && a.Role == Role.Headteacher && a.MemberId != left.MemberId)
            .Select(a => a.MemberId).Distinct().ToListAsync(cancellationToken);
        var date = Written.Date(left.LeaveDate);
        var posts = left.EndedRoles.Count == 0
            ? "They held no post on the platform there."
            : $"Their posts there have ended: {string.Join(", ", left.EndedRoles.Select(r => r.Replace('_', ' ')))}. Appoint someone to any post that now stands empty.";
        await NotificationQueue.AddAsync(Db, new NotificationRequested(left.EventId, left.TrustId, now, left.SchoolId, LeaverKind, headteachers,
            $"{name} has left {school.Name}", $"{name} left {school.Name} on {date} (the school's roster). {posts}",
            $"/schools/{left.SchoolId}/appointments", Safeguarding: false), now, mail.Value, cancellationToken);
    }

    public const string LeaverKind = "member_left";
}
