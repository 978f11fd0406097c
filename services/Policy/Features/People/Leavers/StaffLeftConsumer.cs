using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.Leavers;

/// <summary>
/// A person left a school's roster (Training's StaffLeft, sent when their leave date has come): the member linked to that
/// roster person loses every post they hold at that school (AppointmentEnded, reason left), and MemberLeft tells the
/// notifier to write to the school's headteacher, naming the posts that now stand empty. Their posts at other schools and
/// across the trust stay: they left this school, not the trust. A roster person who is no member changes nothing.
/// </summary>
public sealed class StaffLeftConsumer(PolicyDbContext db, TimeProvider time) : InboxConsumer<StaffLeft, PolicyDbContext>(db)
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

        Db.AddEvent(
            new MemberLeft(Guid.CreateVersion7(now), message.TrustId, message.SchoolId, now, member.Id, message.StaffId, message.LeaveDate,
                [.. posts.Select(p => p.Role).Distinct()]),
            member.Id.ToString(), now);
    }
}
