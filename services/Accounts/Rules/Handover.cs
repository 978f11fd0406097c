using Trust.Platform.Accounts.Model;
using Trust.Platform.Contracts;

namespace Trust.Platform.Accounts.Rules;

/// <summary>
/// 000/003/004: an administrator "controls handover when the lead leaves". When an administrator leaves,
/// they stop administering the account, the credentials they knew must be rotated, and the handover is
/// due a fixed time after their leave date.
/// </summary>
public static class Handover
{
    // REVIEW: the seeds set no deadline for a handover; two weeks from the leave date is our assumption
    // until the catalogue grows a setting for it.
    public const int DueAfterDays = 14;

    public static AccountHandoverRequired Start(Account account, Guid leavingStaffId, DateOnly leaveDate, int minimumAdministrators, DateTimeOffset now)
    {
        account.Administrators = account.Administrators.Where(a => a != leavingStaffId).ToArray();
        account.LeavingStaffIds = account.LeavingStaffIds.Append(leavingStaffId).Distinct().ToArray();
        account.HandoverRequired = true;
        var due = leaveDate.AddDays(DueAfterDays);
        account.HandoverDueOn = account.HandoverDueOn is { } existing && existing < due ? existing : due;
        account.RotationRequired = true;
        account.RotationRequiredSince ??= now;
        if (account.CredentialCustodian == leavingStaffId)
        {
            account.CredentialCustodian = null;
        }

        account.Reassess(minimumAdministrators);
        account.UpdatedAt = now;
        account.Version++;
        return new AccountHandoverRequired(Guid.CreateVersion7(now), account.TrustId, account.SchoolId, now, account.Id, leavingStaffId, account.HandoverDueOn!.Value);
    }
}
