using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Features.Accounts;

/// <summary>A register entry. Where the credential is kept (vault reference, custodian, last rotation), never the credential.</summary>
public sealed record AccountResponse(
    Guid Id,
    Guid SchoolId,
    Guid ApplicationId,
    string Platform,
    string Handle,
    string? Url,
    string? OfficialEmail,
    AccountStatus Status,
    IReadOnlyList<Guid> Administrators,
    Guid? CredentialCustodian,
    string? VaultReference,
    DateOnly? LastRotatedOn,
    bool HandoverRequired,
    DateOnly? HandoverDueOn,
    IReadOnlyList<Guid> LeavingStaffIds,
    /// <summary>The open credential rotation task of a handover.</summary>
    bool RotationRequired,
    DateOnly? ReviewDate,
    string? EvaluationNotes,
    string? ClosedReason,
    string? ClosedBy,
    DateTimeOffset? ClosedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public static AccountResponse From(Account a) => new(
        a.Id, a.SchoolId, a.ApplicationId, a.Platform, a.Handle, a.Url, a.OfficialEmail, a.Status, a.Administrators,
        a.CredentialCustodian, a.VaultReference, a.LastRotatedOn, a.HandoverRequired, a.HandoverDueOn, a.LeavingStaffIds,
        a.RotationRequired, a.ReviewDate, a.EvaluationNotes, a.ClosedReason, a.ClosedBy, a.ClosedAt, a.CreatedAt, a.UpdatedAt, a.Version);
}

internal static class AccountLookup
{
    /// <summary>The account if the caller may manage it; null (404) for another school's, another trust's or a missing one.</summary>
    public static async Task<Account?> ManagedAsync(AccountsDbContext db, HttpContext http, Guid id, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return account is not null && Access.CanManage(http.Principal(), account) ? account : null;
    }
}
