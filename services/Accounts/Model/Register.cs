using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Accounts.Model;

public enum ApplicationStatus
{
    Pending,
    Approved,
    Rejected,
}

public enum DecisionOutcome
{
    Approve,
    Reject,
}

public enum AccountStatus
{
    Live,
    AtRisk,
    Closed,
}

/// <summary>A business case for an official account (000/003/004; 002 Appendix C), moving along the approval chain.</summary>
public sealed class AccountApplication : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public string ApplicantSubject { get; set; } = "";

    public Guid? ApplicantStaffId { get; set; }

    public string Platform { get; set; } = "";

    public string Handle { get; set; } = "";

    public Guid[] Administrators { get; set; } = [];

    /// <summary>The whole business case as submitted (JSON of <c>BusinessCase</c>).</summary>
    public string BusinessCase { get; set; } = "{}";

    /// <summary>The chain of the effective policy when the application was made (docs/adr/0110).</summary>
    public string[] ApprovalChain { get; set; } = [];

    /// <summary>Index into <see cref="ApprovalChain"/> of the step that decides next.</summary>
    public int CurrentStep { get; set; }

    public ApplicationStatus Status { get; set; }

    /// <summary>The policy version the application was validated against ("default" before any publication).</summary>
    public string PolicyVersion { get; set; } = "";

    public Guid? AccountId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; } = 1;
}

/// <summary>One approval or rejection: who, in which role, when and why.</summary>
public sealed class ApplicationDecision : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid ApplicationId { get; set; }

    public int Step { get; set; }

    public string Role { get; set; } = "";

    public DecisionOutcome Outcome { get; set; }

    public string? Reason { get; set; }

    public string DecidedBy { get; set; } = "";

    public string? DecidedByName { get; set; }

    public Guid? DecidedByStaffId { get; set; }

    public DateTimeOffset DecidedAt { get; set; }
}

/// <summary>An official account in the register. No password, ever: only where the credential is kept.</summary>
public sealed class Account : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public Guid ApplicationId { get; set; }

    public string Platform { get; set; } = "";

    public string Handle { get; set; } = "";

    public string? Url { get; set; }

    public string? OfficialEmail { get; set; }

    public AccountStatus Status { get; set; }

    public Guid[] Administrators { get; set; } = [];

    public Guid? CredentialCustodian { get; set; }

    public string? VaultReference { get; set; }

    public DateOnly? LastRotatedOn { get; set; }

    public bool HandoverRequired { get; set; }

    public DateOnly? HandoverDueOn { get; set; }

    public Guid[] LeavingStaffIds { get; set; } = [];

    /// <summary>The credential rotation task: open from a handover until a rotation is recorded.</summary>
    public bool RotationRequired { get; set; }

    public DateTimeOffset? RotationRequiredSince { get; set; }

    public DateOnly? ReviewDate { get; set; }

    public string? EvaluationNotes { get; set; }

    public string? ClosedReason { get; set; }

    public string? ClosedBy { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; } = 1;

    /// <summary>
    /// Recomputes status and the handover from the administrators and the open rotation task:
    /// fewer administrators than the minimum is "at risk" (004: at least two administrators); the
    /// handover clears only when the minimum is met again and the credentials were rotated.
    /// </summary>
    public void Reassess(int minimumAdministrators)
    {
        if (Status == AccountStatus.Closed)
        {
            return;
        }

        Status = Administrators.Length < minimumAdministrators ? AccountStatus.AtRisk : AccountStatus.Live;
        if (HandoverRequired && Status == AccountStatus.Live && !RotationRequired)
        {
            HandoverRequired = false;
            HandoverDueOn = null;
            LeavingStaffIds = [];
        }
    }
}

/// <summary>An account review reminder that was sent (AccountReviewDue), so each is sent once per review date.</summary>
public sealed class AccountReviewReminder : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid AccountId { get; set; }

    public DateOnly ReviewDate { get; set; }

    public string Reminder { get; set; } = "";

    public DateTimeOffset EmittedAt { get; set; }
}
