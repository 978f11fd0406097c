using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Accounts.Consumers;

// Training status and acknowledgements: what final approval and new administrators are checked against.

public sealed class TrainingCompletedConsumer(AccountsDbContext db) : InboxConsumer<TrainingCompleted, AccountsDbContext>(db)
{
    protected override string ConsumerName => "TrainingCompletedConsumer";

    protected override async Task HandleAsync(TrainingCompleted message, CancellationToken cancellationToken)
    {
        var record = await Db.Training.SingleOrDefaultAsync(
            t => t.SchoolId == message.SchoolId && t.StaffId == message.StaffId && t.CourseCode == message.CourseCode, cancellationToken);
        if (record is null)
        {
            record = new TrainingRecord { TrustId = message.TrustId, SchoolId = message.SchoolId, StaffId = message.StaffId, CourseCode = message.CourseCode };
            Db.Training.Add(record);
        }
        else if (record.UpdatedAt > message.OccurredAt)
        {
            return;
        }

        record.CompletedOn = message.CompletedOn;
        record.ExpiresOn = message.ExpiresOn;
        record.ExpiredOn = null;
        record.UpdatedAt = message.OccurredAt;
    }
}

public sealed class TrainingExpiredConsumer(AccountsDbContext db) : InboxConsumer<TrainingExpired, AccountsDbContext>(db)
{
    protected override string ConsumerName => "TrainingExpiredConsumer";

    protected override async Task HandleAsync(TrainingExpired message, CancellationToken cancellationToken)
    {
        var record = await Db.Training.SingleOrDefaultAsync(
            t => t.SchoolId == message.SchoolId && t.StaffId == message.StaffId && t.CourseCode == message.CourseCode, cancellationToken);
        if (record is null)
        {
            record = new TrainingRecord { TrustId = message.TrustId, SchoolId = message.SchoolId, StaffId = message.StaffId, CourseCode = message.CourseCode };
            Db.Training.Add(record);
        }
        else if (record.UpdatedAt > message.OccurredAt)
        {
            return; // A newer completion already renewed it.
        }

        record.ExpiredOn = message.ExpiredOn;
        record.ExpiresOn ??= message.ExpiredOn;
        record.UpdatedAt = message.OccurredAt;
    }
}

public sealed class PolicyAcknowledgedConsumer(AccountsDbContext db) : InboxConsumer<PolicyAcknowledged, AccountsDbContext>(db)
{
    protected override string ConsumerName => "PolicyAcknowledgedConsumer";

    protected override async Task HandleAsync(PolicyAcknowledged message, CancellationToken cancellationToken)
    {
        var exists = await Db.Acknowledgements.AnyAsync(
            a => a.SchoolId == message.SchoolId && a.StaffId == message.StaffId && a.PolicyVersionId == message.PolicyVersionId, cancellationToken);
        if (!exists)
        {
            Db.Acknowledgements.Add(new PolicyAcknowledgement
            {
                TrustId = message.TrustId, SchoolId = message.SchoolId, StaffId = message.StaffId,
                PolicyVersionId = message.PolicyVersionId, Version = message.Version, AcknowledgedAt = message.OccurredAt,
            });
        }
    }
}
