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
/// 002: staff are refreshed after significant incidents. A significant IncidentClosed raises one
/// school-wide refresher requirement (every person on the roster that day), due within the policy's
/// induction window; completing the social media policy course after it satisfies it.
/// </summary>
public sealed class IncidentClosedConsumer(TrainingDbContext db, TimeProvider time) : InboxConsumer<IncidentClosed, TrainingDbContext>(db)
{
    /// <summary>The inbox key: the class name it always had, so the inbox's history is not replayed.</summary>
    protected override string ConsumerName => nameof(IncidentClosedConsumer);

    protected override async Task HandleAsync(IncidentClosed message, CancellationToken cancellationToken)
    {
        if (!message.Significant)
        {
            return;
        }

        var policy = await TrainingPolicy.ForSchoolAsync(Db, message.SchoolId, cancellationToken);
        if (!policy.RefresherAfterSignificantIncident)
        {
            return;
        }

        var school = await Db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == message.SchoolId, cancellationToken);
        var today = time.TodayAt(school?.TimeZone);
        var now = time.GetUtcNow();
        Db.RequirementTriggers.Add(new RequirementTrigger
        {
            TrustId = message.TrustId, Id = Guid.CreateVersion7(now), SchoolId = message.SchoolId, PersonId = null,
            Requirement = Requirement.IncidentRefresher, CourseCode = Requirement.SocialMediaCourse, SourceId = message.CaseId,
            RaisedOn = today, DueOn = RequirementRules.DueOn(today, policy.InductionWindowDays), CreatedAt = now,
        });
    }
}
