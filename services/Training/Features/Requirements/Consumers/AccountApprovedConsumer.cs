using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Domain.Requirements;
using Trust.Platform.Training.Features.Policy;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Requirements.Consumers;

/// <summary>
/// 002: every account administrator must be trained on the platform and have read the policy. An
/// approved account raises platform training (course <c>platform:{platform}</c>) for each of its
/// administrators on this school's roster.
/// </summary>
public sealed class AccountApprovedConsumer(TrainingDbContext db, TimeProvider time) : InboxConsumer<AccountApproved, TrainingDbContext>(db)
{
    /// <summary>The inbox key: the class name it always had, so the inbox's history is not replayed.</summary>
    protected override string ConsumerName => nameof(AccountApprovedConsumer);

    protected override async Task HandleAsync(AccountApproved message, CancellationToken cancellationToken)
    {
        var admins = message.AdministratorStaffIds.ToArray();
        var known = await Db.People.AsNoTracking()
            .Where(p => p.SchoolId == message.SchoolId && admins.Contains(p.Id))
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        if (known.Count == 0)
        {
            return;
        }

        var policy = await TrainingPolicy.ForSchoolAsync(Db, message.SchoolId, cancellationToken);
        var school = await Db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == message.SchoolId, cancellationToken);
        var today = time.TodayAt(school?.TimeZone);
        var now = time.GetUtcNow();
        var course = Requirement.PlatformCourse(message.Platform);
        foreach (var person in known)
        {
            Db.RequirementTriggers.Add(new RequirementTrigger
            {
                TrustId = message.TrustId, Id = Guid.CreateVersion7(now), SchoolId = message.SchoolId, PersonId = person,
                Requirement = Requirement.PlatformTraining, CourseCode = course, SourceId = message.AccountId,
                RaisedOn = today, DueOn = RequirementRules.DueOn(today, policy.InductionWindowDays), CreatedAt = now,
            });
        }
    }
}
