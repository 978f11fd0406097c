using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Domain.Accounts;

/// <summary>What a change to a register entry comes to.</summary>
public enum AccountChange
{
    /// <summary>Applied.</summary>
    Done,

    /// <summary>The account is closed: nothing more changes on it.</summary>
    AccountClosed,

    /// <summary>The person already administers it.</summary>
    AlreadyAdministrator,

    /// <summary>The named custodian is not one of its administrators.</summary>
    CustodianNotAdministrator,
}

/// <summary>
/// The state transitions of a register entry (an <see cref="Account"/>): closing, adding an administrator, recording a
/// credential rotation and a review. Each checks the account's state first and changes nothing when it refuses.
/// </summary>
public static class AccountTransitions
{
    /// <summary>Closes the account, recording why and who.</summary>
    public static AccountChange Close(Account account, string reason, string closedBy, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed)
        {
            return AccountChange.AccountClosed;
        }

        account.Status = AccountStatus.Closed;
        account.ClosedReason = reason.Trim();
        account.ClosedBy = closedBy;
        account.ClosedAt = now;
        Touch(account, now);
        return AccountChange.Done;
    }

    /// <summary>Whether <paramref name="staffId"/> could join the account's administrators, before their readiness is checked.</summary>
    public static AccountChange CanAddAdministrator(Account account, Guid staffId) =>
        account.Status == AccountStatus.Closed ? AccountChange.AccountClosed
        : account.Administrators.Contains(staffId) ? AccountChange.AlreadyAdministrator
        : AccountChange.Done;

    /// <summary>Adds a (ready) administrator; the first one also holds the credentials when nobody does.</summary>
    public static AccountChange AddAdministrator(Account account, Guid staffId, int minimumAdministrators, DateTimeOffset now)
    {
        var allowed = CanAddAdministrator(account, staffId);
        if (allowed != AccountChange.Done)
        {
            return allowed;
        }

        account.Administrators = [.. account.Administrators, staffId];
        account.CredentialCustodian ??= staffId;
        account.Reassess(minimumAdministrators);
        Touch(account, now);
        return AccountChange.Done;
    }

    /// <summary>
    /// The credentials were changed and stored in the vault: closes the rotation task a handover opened. An older rotation
    /// recorded late does not move the last rotation date back.
    /// </summary>
    public static AccountChange RecordRotation(Account account, DateOnly rotatedOn, string vaultReference, Guid? custodian, int minimumAdministrators, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed)
        {
            return AccountChange.AccountClosed;
        }

        if (custodian is { } named && !account.Administrators.Contains(named))
        {
            return AccountChange.CustodianNotAdministrator;
        }

        account.LastRotatedOn = account.LastRotatedOn is { } last && last > rotatedOn ? last : rotatedOn;
        account.VaultReference = vaultReference.Trim();
        account.CredentialCustodian = custodian ?? account.CredentialCustodian;
        account.RotationRequired = false;
        account.RotationRequiredSince = null;
        account.Reassess(minimumAdministrators);
        Touch(account, now);
        return AccountChange.Done;
    }

    /// <summary>Sets the next review date; notes replace the last evaluation's only when given.</summary>
    public static AccountChange Review(Account account, DateOnly reviewDate, string? evaluationNotes, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed)
        {
            return AccountChange.AccountClosed;
        }

        account.ReviewDate = reviewDate;
        account.EvaluationNotes = string.IsNullOrWhiteSpace(evaluationNotes) ? account.EvaluationNotes : evaluationNotes.Trim();
        Touch(account, now);
        return AccountChange.Done;
    }

    private static void Touch(Account account, DateTimeOffset now)
    {
        account.UpdatedAt = now;
        account.Version++;
    }
}
