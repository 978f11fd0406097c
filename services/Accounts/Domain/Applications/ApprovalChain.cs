using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Domain.Applications;

/// <summary>Who is deciding: their sign-in, their roster id if they have one, and whether they hold one of some roles at the application's school.</summary>
public sealed record Decider(string Subject, Guid? StaffId, Func<IReadOnlyCollection<string>, bool> HoldsRoleAtSchool);

/// <summary>What a decision on an application comes to, before anything is stored.</summary>
public abstract record DecideOutcome
{
    private DecideOutcome()
    {
    }

    /// <summary>Approved or rejected already: no further decisions are taken.</summary>
    public sealed record AlreadyDecided(ApplicationStatus Status) : DecideOutcome;

    /// <summary>The decider applied for it (separation of duties).</summary>
    public sealed record SelfApproval : DecideOutcome;

    /// <summary>The decision names a step other than the one awaited.</summary>
    public sealed record OutOfOrder(string Awaited, int StepNumber, int Steps) : DecideOutcome;

    /// <summary>The decider does not hold the awaited step's role at the school.</summary>
    public sealed record NotYourStep(string Awaited) : DecideOutcome;

    /// <summary>The step is approved and another follows.</summary>
    public sealed record Advances(string Step) : DecideOutcome;

    /// <summary>The last step is approved: the account is registered once the preconditions hold.</summary>
    public sealed record FinalApproval(string Step) : DecideOutcome;

    /// <summary>The step rejects the application, which ends it.</summary>
    public sealed record Rejects(string Step) : DecideOutcome;
}

/// <summary>
/// The approval chain of an application (002 Appendix C: the marketing officer, then the headteacher; 000/003/004: the
/// leadership team), as pure rules: who may decide which step, and what a decision does to the application.
/// </summary>
public static class ApprovalChain
{
    /// <summary>
    /// Separation of duties: the applicant never decides a step of their own application, whatever roles they hold
    /// (a marketing officer applying for the school's account is not its first approver, 002 Appendix C).
    /// </summary>
    public const string NoSelfApprovalRule = "accounts.no_self_approval";

    /// <summary>Only a holder of the awaited step's role decides it (<see cref="RolesForStep"/>).</summary>
    public const string StepRoleRule = "accounts.approval_step_role";

    /// <summary>The "leadership team" step of 000/003/004 ("approved by the leadership team").</summary>
    public const string LeadershipTeam = RoleSets.LeadershipTeamStep;

    /// <summary>The roles that may take an approval step (<see cref="RoleSets.ForApprovalStep"/>, shared with the console).</summary>
    public static IReadOnlyList<string> RolesForStep(string step) => RoleSets.ForApprovalStep(step);

    /// <summary>The same person by sign-in (subject) or by roster id, as the applications' visibility recognises an applicant.</summary>
    public static bool IsApplicant(AccountApplication application, string subject, Guid? staffId) =>
        (application.ApplicantSubject.Length > 0 && application.ApplicantSubject == subject) ||
        (staffId is { } staff && application.ApplicantStaffId == staff);

    /// <summary>What <paramref name="decider"/> deciding <paramref name="step"/> with <paramref name="outcome"/> comes to, in the order a caller is told.</summary>
    public static DecideOutcome Decide(AccountApplication application, Decider decider, string step, DecisionOutcome outcome)
    {
        if (application.Status != ApplicationStatus.Pending)
        {
            return new DecideOutcome.AlreadyDecided(application.Status);
        }

        if (IsApplicant(application, decider.Subject, decider.StaffId))
        {
            return new DecideOutcome.SelfApproval();
        }

        var awaited = application.ApprovalChain[application.CurrentStep];
        if (!string.Equals(step, awaited, StringComparison.Ordinal))
        {
            return new DecideOutcome.OutOfOrder(awaited, application.CurrentStep + 1, application.ApprovalChain.Length);
        }

        if (!decider.HoldsRoleAtSchool(RolesForStep(awaited)))
        {
            return new DecideOutcome.NotYourStep(awaited);
        }

        if (outcome == DecisionOutcome.Reject)
        {
            return new DecideOutcome.Rejects(awaited);
        }

        return application.CurrentStep == application.ApprovalChain.Length - 1
            ? new DecideOutcome.FinalApproval(awaited)
            : new DecideOutcome.Advances(awaited);
    }

    /// <summary>
    /// The preconditions of final approval (004: "at least two administrators"; 000/003: everyone running an account has
    /// read the policy and been trained): the policy's minimum, and no administrator with a shortfall.
    /// </summary>
    public static ApprovalPreconditions Preconditions(int administrators, int minimumAdministrators, IReadOnlyList<AdministratorShortfall> shortfalls) =>
        new(administrators < minimumAdministrators, shortfalls);

    /// <summary>Records <paramref name="decision"/> on the application; on the final approval, returns the account it registers.</summary>
    public static Account? Apply(AccountApplication application, ApplicationDecision decision, BusinessCaseDetails businessCase, DateTimeOffset now)
    {
        application.UpdatedAt = now;
        application.Version++;
        if (decision.Outcome == DecisionOutcome.Reject)
        {
            application.Status = ApplicationStatus.Rejected;
            return null;
        }

        if (application.CurrentStep < application.ApprovalChain.Length - 1)
        {
            application.CurrentStep++;
            return null;
        }

        var account = new Account
        {
            Id = Guid.CreateVersion7(now),
            TrustId = application.TrustId,
            SchoolId = application.SchoolId,
            ApplicationId = application.Id,
            Platform = application.Platform,
            Handle = application.Handle,
            Url = businessCase.Url,
            OfficialEmail = businessCase.OfficialEmail,
            Status = AccountStatus.Live,
            Administrators = application.Administrators,
            // The custodian holds the credentials (in the vault); the first administrator unless the case names one.
            CredentialCustodian = businessCase.CredentialCustodian ?? application.Administrators.FirstOrDefault(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        application.Status = ApplicationStatus.Approved;
        application.AccountId = account.Id;
        return account;
    }
}

/// <summary>The parts of the business case the register entry takes over.</summary>
public sealed record BusinessCaseDetails(string? Url, string? OfficialEmail, Guid? CredentialCustodian);

/// <summary>Whether final approval may go ahead: the named administrators reach the minimum and none has a shortfall.</summary>
public sealed record ApprovalPreconditions(bool BelowMinimum, IReadOnlyList<AdministratorShortfall> Shortfalls)
{
    public bool Met => !BelowMinimum && Shortfalls.Count == 0;
}
