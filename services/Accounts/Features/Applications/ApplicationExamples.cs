using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Features.Applications;

/// <summary>
/// The contract's examples: Mellers Primary School (003, the demo trust's school ...0003) applying for an account run by its
/// e-safety team's roles (Computing Lead, IT technician; 003 names the team), approved by the leadership team. Staff are
/// known to Accounts by roster id only, so the people appear as ids.
/// </summary>
internal static class ApplicationExamples
{
    public static readonly Guid Mellers = Guid.Parse("0193f1a0-0000-7000-8000-000000000003");
    public static readonly Guid ComputingLead = Guid.Parse("0193f1a0-0000-7000-8000-00000000a001");
    public static readonly Guid ItTechnician = Guid.Parse("0193f1a0-0000-7000-8000-00000000a002");
    private static readonly DateTimeOffset Submitted = new(2026, 12, 3, 9, 30, 0, TimeSpan.Zero);

    public static readonly ApplicationRequest Request = new(
        Mellers, "x", "MellersComputing", [ComputingLead, ItTechnician],
        Purpose: "Share the school's computing and e-safety work with families (003: the aim of the account).",
        ProposedContent: "Coding club projects, e-safety tips for parents, Safer Internet Day events.",
        Audiences: [new Audience(AudienceKind.Families), new Audience(AudienceKind.Pupils, "9-11")],
        Contributors: ["Computing Lead", "IT technician"],
        Moderator: ComputingLead,
        Visibility: "closed",
        VisibilityReason: "Followers are approved so that only the school's families follow it (003: open or private/closed).",
        Evaluation: "Reviewed with the leadership team each term.",
        CredentialCustodian: ItTechnician);

    public static readonly ApplicationResponse Pending = new(
        Guid.Parse("0193f1a0-0000-7000-8000-00000000b001"), Mellers, ApplicationStatus.Pending, "x", "MellersComputing",
        [ComputingLead, ItTechnician], ["leadership_team"], "leadership_team", [], "1.0", null,
        "computing-lead", ComputingLead, Request, Submitted, Submitted);

    public static readonly ApplicationResponse Approved = Pending with
    {
        Status = ApplicationStatus.Approved,
        NextStep = null,
        AccountId = Guid.Parse("0193f1a0-0000-7000-8000-00000000c001"),
        Decisions = [new DecisionResponse(0, "leadership_team", DecisionOutcome.Approve, null, "headteacher", "Headteacher", null, Submitted.AddDays(2))],
        UpdatedAt = Submitted.AddDays(2),
    };
}
