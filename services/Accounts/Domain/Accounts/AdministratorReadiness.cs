using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;

namespace Trust.Platform.Accounts.Domain.Accounts;

/// <summary>What one person lacks to administer an account.</summary>
public sealed record AdministratorShortfall(Guid StaffId, string? Name, IReadOnlyList<string> Lacks);

/// <summary>
/// The precondition of final approval and of joining an account as administrator: current social media policy
/// training and an acknowledgement of the school's current policy version (000/003: staff are trained on and sign the
/// policy; 002: termly training).
/// </summary>
public static class AdministratorReadiness
{
    public const string NotStaff = "not_current_staff";
    public const string NoTraining = "social_media_policy_training";
    public const string TrainingExpired = "social_media_policy_training_expired";
    public const string NoAcknowledgement = "acknowledgement_of_current_policy_version";
    public const string NoPublishedVersion = "acknowledgement_of_current_policy_version (no policy version published yet)";

    /// <summary>Loads what the school's replicas know of <paramref name="staffIds"/> and <see cref="Assess"/>es them on <paramref name="today"/> (the school's date).</summary>
    public static async Task<IReadOnlyList<AdministratorShortfall>> CheckAsync(
        AccountsDbContext db, Guid schoolId, IReadOnlyCollection<Guid> staffIds, EffectiveAccountPolicy policy, DateOnly today, CancellationToken cancellationToken)
    {
        var ids = staffIds.ToArray();
        var staff = await db.Staff.AsNoTracking().Where(s => s.SchoolId == schoolId && ids.Contains(s.StaffId)).ToDictionaryAsync(s => s.StaffId, cancellationToken);
        var training = await db.Training.AsNoTracking()
            .Where(t => t.SchoolId == schoolId && ids.Contains(t.StaffId) && t.CourseCode == TrainingRecord.SocialMediaPolicy)
            .ToDictionaryAsync(t => t.StaffId, cancellationToken);
        var acknowledged = policy.PolicyVersionId is { } versionId
            ? (await db.Acknowledgements.AsNoTracking()
                .Where(a => a.SchoolId == schoolId && ids.Contains(a.StaffId) && a.PolicyVersionId == versionId)
                .Select(a => a.StaffId).ToListAsync(cancellationToken)).ToHashSet()
            : [];
        return Assess(ids, staff, training, acknowledged, policy, today);
    }

    /// <summary>Each person's shortfalls, in the order named; nobody appears who lacks nothing.</summary>
    public static IReadOnlyList<AdministratorShortfall> Assess(
        IReadOnlyList<Guid> ids, IReadOnlyDictionary<Guid, StaffMember> staff, IReadOnlyDictionary<Guid, TrainingRecord> training,
        IReadOnlySet<Guid> acknowledged, EffectiveAccountPolicy policy, DateOnly today)
    {
        var result = new List<AdministratorShortfall>();
        foreach (var id in ids)
        {
            var lacks = new List<string>();
            staff.TryGetValue(id, out var member);
            if (member is null || member.LeftOn is not null)
            {
                lacks.Add(NotStaff);
            }

            if (!training.TryGetValue(id, out var record) || record.CompletedOn is null)
            {
                lacks.Add(NoTraining);
            }
            else if (!record.IsCurrentOn(today))
            {
                lacks.Add(TrainingExpired);
            }

            if (policy.PolicyVersionId is null)
            {
                lacks.Add(NoPublishedVersion);
            }
            else if (!acknowledged.Contains(id))
            {
                lacks.Add($"{NoAcknowledgement} ({policy.Version})");
            }

            if (lacks.Count > 0)
            {
                result.Add(new AdministratorShortfall(id, member?.DisplayName, lacks));
            }
        }

        return result;
    }
}
