using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Rules;

/// <summary>What one person lacks to administer an account.</summary>
public sealed record AdministratorShortfall(Guid StaffId, string? Name, IReadOnlyList<string> Lacks);

/// <summary>
/// The precondition of final approval and of joining an account as administrator: current social
/// media policy training and an acknowledgement of the school's current policy version (issue 4;
/// 000/003: staff are trained on and sign the policy; 002: termly training).
/// </summary>
public static class AdministratorReadiness
{
    public const string NotStaff = "not_current_staff";
    public const string NoTraining = "social_media_policy_training";
    public const string TrainingExpired = "social_media_policy_training_expired";
    public const string NoAcknowledgement = "acknowledgement_of_current_policy_version";
    public const string NoPublishedVersion = "acknowledgement_of_current_policy_version (no policy version published yet)";

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
