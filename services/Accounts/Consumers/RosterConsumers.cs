using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Consumers;

// The roster view (Training owns the roster). Each event type has its own queue, so a StaffLeft can
// overtake its StaffJoined: every consumer upserts and lets the newer occurred-at win.

public sealed class StaffJoinedConsumer(AccountsDbContext db) : InboxConsumer<StaffJoined, AccountsDbContext>(db)
{
    protected override string ConsumerName => "StaffJoinedConsumer";

    protected override async Task HandleAsync(StaffJoined message, CancellationToken cancellationToken)
    {
        var member = await Db.Staff.SingleOrDefaultAsync(s => s.SchoolId == message.SchoolId && s.StaffId == message.StaffId, cancellationToken);
        if (member is null)
        {
            Db.Staff.Add(new StaffMember
            {
                TrustId = message.TrustId, SchoolId = message.SchoolId, StaffId = message.StaffId,
                DisplayName = message.DisplayName, Roles = message.Roles.ToArray(), UpdatedAt = message.OccurredAt,
            });
            return;
        }

        member.DisplayName = message.DisplayName;
        if (member.UpdatedAt <= message.OccurredAt)
        {
            // A rejoin after leaving: the person is staff again.
            member.Roles = message.Roles.ToArray();
            member.LeftOn = null;
            member.UpdatedAt = message.OccurredAt;
        }
    }
}

public sealed class StaffRoleChangedConsumer(AccountsDbContext db) : InboxConsumer<StaffRoleChanged, AccountsDbContext>(db)
{
    protected override string ConsumerName => "StaffRoleChangedConsumer";

    protected override async Task HandleAsync(StaffRoleChanged message, CancellationToken cancellationToken)
    {
        var member = await Db.Staff.SingleOrDefaultAsync(s => s.SchoolId == message.SchoolId && s.StaffId == message.StaffId, cancellationToken);
        if (member is null)
        {
            // REVIEW: the name arrives with StaffJoined; until then the person is known by id only.
            Db.Staff.Add(new StaffMember
            {
                TrustId = message.TrustId, SchoolId = message.SchoolId, StaffId = message.StaffId,
                Roles = message.Roles.ToArray(), UpdatedAt = message.OccurredAt,
            });
        }
        else if (member.UpdatedAt <= message.OccurredAt)
        {
            member.Roles = message.Roles.ToArray();
            member.UpdatedAt = message.OccurredAt;
        }
    }
}

/// <summary>Marks the person as left and starts a handover on every open account they administered.</summary>
public sealed partial class StaffLeftConsumer(AccountsDbContext db, ILogger<StaffLeftConsumer> logger) : InboxConsumer<StaffLeft, AccountsDbContext>(db)
{
    protected override string ConsumerName => "StaffLeftConsumer";

    protected override async Task HandleAsync(StaffLeft message, CancellationToken cancellationToken)
    {
        var member = await Db.Staff.SingleOrDefaultAsync(s => s.SchoolId == message.SchoolId && s.StaffId == message.StaffId, cancellationToken);
        if (member is null)
        {
            Db.Staff.Add(new StaffMember
            {
                TrustId = message.TrustId, SchoolId = message.SchoolId, StaffId = message.StaffId,
                LeftOn = message.LeaveDate, UpdatedAt = message.OccurredAt,
            });
        }
        else if (member.UpdatedAt <= message.OccurredAt)
        {
            member.LeftOn = message.LeaveDate;
            member.UpdatedAt = message.OccurredAt;
        }

        var staffId = message.StaffId;
        var accounts = await Db.Accounts
            .Where(a => a.SchoolId == message.SchoolId && a.Status != AccountStatus.Closed && a.Administrators.Contains(staffId))
            .ToListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return;
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(Db, message.SchoolId, cancellationToken);
        foreach (var account in accounts)
        {
            var handover = Handover.Start(account, staffId, message.LeaveDate, policy.MinimumAdministrators, message.OccurredAt);
            Db.AddEvent(handover, account.Id.ToString(), message.OccurredAt);
            await HandoverNotice.AddAsync(Db, account, handover, message.LeaveDate, cancellationToken);
            Log.HandoverStarted(logger, message.TrustId, message.SchoolId, account.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Handover required for account {AccountId} of school {SchoolId} in trust {TrustId}")]
        public static partial void HandoverStarted(ILogger logger, Guid trustId, Guid schoolId, Guid accountId);
    }
}
