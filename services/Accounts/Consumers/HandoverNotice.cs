using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.People;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Consumers;

/// <summary>
/// "Who is told what", account handover: the school's headteacher and marketing officer (who approve accounts and run
/// the school's social media, 000/003/004) learn that an administrator left and the account needs a new one and new
/// credentials. Written to the outbox with the handover itself; the leaver is never told.
/// </summary>
public static class HandoverNotice
{
    public const string Kind = "account_handover";

    public static async Task AddAsync(AccountsDbContext db, Account account, AccountHandoverRequired handover, DateOnly leaveDate, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.SchoolId == account.SchoolId).Select(s => new { s.Name, s.TimeZone }).SingleOrDefaultAsync(ct);
        var today = PlatformClock.LocalDate(handover.OccurredAt, school?.TimeZone);
        var posts = await Notices.PostsAtAsync(db, account.SchoolId, today, ct);
        var leaver = posts.Where(p => p.StaffId == handover.LeavingStaffId).Select(p => p.MemberId).ToHashSet();
        var people = Notices.Holding(posts, account.SchoolId, Roles.Headteacher, Roles.MarketingOfficer).Where(m => !leaver.Contains(m)).ToList();
        if (people.Count == 0)
        {
            return;
        }

        var name = school?.Name ?? "your school";
        var subject = $"Handover needed: the {account.Platform} account {account.Handle} of {name}";
        var body = $"An administrator of the {account.Platform} account {account.Handle} of {name} left on {Written.Date(leaveDate)}. " +
            $"Name a new administrator and change the credentials they knew by {Written.Date(handover.DueOn)}.";
        db.AddEvent(new NotificationRequested(Guid.CreateVersion7(handover.OccurredAt), account.TrustId, handover.OccurredAt, account.SchoolId, Kind, people,
            subject, body, $"/accounts/{account.Id}", Safeguarding: false), account.Id.ToString(), handover.OccurredAt);
    }
}
