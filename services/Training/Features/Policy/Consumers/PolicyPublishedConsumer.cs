using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Policy;
using Trust.Platform.Training.Domain.Acknowledgements;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Policy.Consumers;

/// <summary>
/// Keeps the school's published policy (the platform's policy view: cadences, calendar terms), the list of published
/// versions that staff acknowledge with the statements each asks them to agree to, and the acknowledgement baseline. A major version moves the baseline:
/// acknowledgements of earlier versions stop counting, so everyone's acknowledgement falls due again (DESIGN: "a major
/// version needs re-approval and makes staff re-acknowledge it").
/// </summary>
public sealed class PolicyPublishedConsumer(TrainingDbContext db) : PolicyViewConsumer<TrainingDbContext>(db)
{
    /// <summary>The inbox key: the class name it always had, so the inbox's history is not replayed.</summary>
    protected override string ConsumerName => nameof(PolicyPublishedConsumer);

    protected override async Task AppliedAsync(PolicyPublished message, CancellationToken cancellationToken)
    {
        if (!await Db.PolicyVersions.AnyAsync(v => v.PolicyVersionId == message.PolicyVersionId && v.SchoolId == message.SchoolId, cancellationToken))
        {
            Db.PolicyVersions.Add(new PolicyVersion
            {
                TrustId = message.TrustId, PolicyVersionId = message.PolicyVersionId, SchoolId = message.SchoolId,
                Version = message.Version, IsMajor = message.IsMajor, PublishedAt = message.OccurredAt,
                Statements = [.. StaffStatements.For(message.StaffRules, message.Routing.JournalistRule)],
            });
        }

        var baseline = await Db.AcknowledgementBaselines.SingleOrDefaultAsync(b => b.SchoolId == message.SchoolId, cancellationToken);
        if (baseline is null)
        {
            // The first version this service sees is the first one staff must acknowledge.
            Db.AcknowledgementBaselines.Add(new AcknowledgementBaseline
            {
                TrustId = message.TrustId, SchoolId = message.SchoolId, MajorVersionId = message.PolicyVersionId, MajorPublishedAt = message.OccurredAt,
            });
        }
        else if (message.IsMajor)
        {
            baseline.MajorVersionId = message.PolicyVersionId;
            baseline.MajorPublishedAt = message.OccurredAt;
        }
    }
}
