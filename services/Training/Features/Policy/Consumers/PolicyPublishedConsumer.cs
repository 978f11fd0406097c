using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Policy.Consumers;

/// <summary>
/// Keeps the local per-school policy view (cadences, calendar terms) and the list of published versions
/// that staff acknowledge. A major version moves the acknowledgement baseline: acknowledgements of
/// earlier versions stop counting, so everyone's acknowledgement falls due again (DESIGN: "a major
/// version needs re-approval and makes staff re-acknowledge it").
/// </summary>
public sealed class PolicyPublishedConsumer(TrainingDbContext db) : InboxConsumer<PolicyPublished, TrainingDbContext>(db)
{
    protected override async Task HandleAsync(PolicyPublished message, CancellationToken cancellationToken)
    {
        if (!await Db.PolicyVersions.AnyAsync(v => v.PolicyVersionId == message.PolicyVersionId && v.SchoolId == message.SchoolId, cancellationToken))
        {
            Db.PolicyVersions.Add(new PolicyVersion
            {
                TrustId = message.TrustId, PolicyVersionId = message.PolicyVersionId, SchoolId = message.SchoolId,
                Version = message.Version, IsMajor = message.IsMajor, PublishedAt = message.OccurredAt,
            });
        }

        var view = await Db.PolicyViews.SingleOrDefaultAsync(v => v.SchoolId == message.SchoolId, cancellationToken);
        if (view is not null && view.PublishedAt > message.OccurredAt)
        {
            return; // A late, older publication must not undo a newer one.
        }

        if (view is null)
        {
            // The first version this service sees is the first one staff must acknowledge.
            view = new PolicyView { TrustId = message.TrustId, SchoolId = message.SchoolId, MajorVersionId = message.PolicyVersionId, MajorPublishedAt = message.OccurredAt };
            Db.PolicyViews.Add(view);
        }
        else if (message.IsMajor)
        {
            view.MajorVersionId = message.PolicyVersionId;
            view.MajorPublishedAt = message.OccurredAt;
        }

        var training = message.Training;
        view.PolicyVersionId = message.PolicyVersionId;
        view.Version = message.Version;
        view.PublishedAt = message.OccurredAt;
        view.InductionWindowDays = training.InductionWindowDays;
        view.RefresherCadence = training.RefresherCadence;
        view.PupilEducationCadence = training.PupilEducationCadence;
        view.ParentSessionCadence = training.ParentSessionCadence;
        view.RefresherAfterSignificantIncident = training.RefresherAfterSignificantIncident;
        view.TimeZone = message.Calendar.TimeZone;
        view.Terms = TrainingPolicy.WriteTerms(message.Calendar.Terms);
    }
}
