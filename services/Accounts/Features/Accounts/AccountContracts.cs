using Trust.Platform.Accounts.Model;

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

/// <summary>The contract's example: Mellers Primary School's (003) computing account, administered by its Computing Lead and IT technician.</summary>
internal static class AccountExamples
{
    private static readonly DateTimeOffset Approved = new(2026, 12, 5, 9, 30, 0, TimeSpan.Zero);

    public static readonly AccountResponse Live = new(
        Guid.Parse("0193f1a0-0000-7000-8000-00000000c001"), Applications.ApplicationExamples.Mellers, Guid.Parse("0193f1a0-0000-7000-8000-00000000b001"),
        "x", "MellersComputing", null, null, AccountStatus.Live,
        [Applications.ApplicationExamples.ComputingLead, Applications.ApplicationExamples.ItTechnician], Applications.ApplicationExamples.ItTechnician,
        "vault://mellers/x/computing", new DateOnly(2026, 12, 5), false, null, [], false, new DateOnly(2027, 3, 31), null, null, null, null,
        Approved, Approved, 2);
}
