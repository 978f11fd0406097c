namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// The groups of roles that endpoints allow, named once for every service. A service that needs a group not
/// here adds it here (with who it is and why) rather than spelling a list inline: two services answering
/// the same question with different lists is how access drifts.
/// </summary>
public static class RoleSets
{
    /// <summary>Everyone who works in or for a school, the trust's admins and the chair: may read the school's directory entry and its policy.</summary>
    public static readonly IReadOnlyList<string> AnyoneInSchool =
        [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    /// <summary>People on a school's staff (not the trust's admins or the chair): report incidents, apply for accounts.</summary>
    public static readonly IReadOnlyList<string> SchoolStaff = [Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff];

    /// <summary>Those who set a school's own values within the trust's rules: the headteacher, and the trust for any school.</summary>
    public static readonly IReadOnlyList<string> SchoolLeaders = [Roles.TrustAdmin, Roles.Headteacher];

    /// <summary>Those who see the trust-wide picture of a school's safeguarding and training: leaders and the DSL.</summary>
    public static readonly IReadOnlyList<string> SchoolOversight = [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl];

    /// <summary>Readers of the trust's own configuration (baseline, template, versions): its admins, headteachers and the chair.</summary>
    public static readonly IReadOnlyList<string> TrustReaders = [Roles.TrustAdmin, Roles.Headteacher, Roles.Chair];

    /// <summary>Governance: the trust's admins and the chair of trustees.</summary>
    public static readonly IReadOnlyList<string> Governance = [Roles.TrustAdmin, Roles.Chair];

    /// <summary>The trust's central team (the CEO): trust-wide writes.</summary>
    public static readonly IReadOnlyList<string> TrustAdmins = [Roles.TrustAdmin];

    /// <summary>Those who run a school's account register (002: the marketing officer keeps it, the headteacher or the CEO approves).</summary>
    public static readonly IReadOnlyList<string> AccountManagers = [Roles.TrustAdmin, Roles.Headteacher, Roles.MarketingOfficer];

    /// <summary>Those who may apply for an official account and read the register (000/003/004: any member of staff presents a business case).</summary>
    public static readonly IReadOnlyList<string> AccountApplicants = [Roles.TrustAdmin, Roles.Headteacher, Roles.MarketingOfficer, Roles.Staff];

    /// <summary>Those who act on an incident case they may read (escalate, close): its handlers, leaders and governance, not the reporting staff.</summary>
    public static readonly IReadOnlyList<string> CaseHandlers =
        [Roles.Dsl, Roles.Headteacher, Roles.Chair, Roles.TrustAdmin, Roles.MarketingOfficer, Roles.IctTechnician];

    /// <summary>Those who keep a case's record (export it, place a legal hold): the DSL, leaders and the chair.</summary>
    public static readonly IReadOnlyList<string> CaseRecordKeepers = [Roles.Dsl, Roles.Headteacher, Roles.TrustAdmin, Roles.Chair];

    /// <summary>Those who correct where a case is routed (002 l.225: concerns about the headteacher go to the chair): the DSL and the chair.</summary>
    public static readonly IReadOnlyList<string> CaseRouters = [Roles.Dsl, Roles.Chair];

    /// <summary>Oversight of a school's case records (who read what, what is due for disposal): the DSL and the trust's admins.</summary>
    public static readonly IReadOnlyList<string> CaseAuditors = [Roles.Dsl, Roles.TrustAdmin];

    /// <summary>Those who answer a subject access request about a pupil or staff member of a school (UK GDPR art. 15): the trust's admins, the headteacher and the DSL.</summary>
    public static readonly IReadOnlyList<string> SubjectAccessRequesters = [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl];

    /// <summary>The headteacher alone: approves blocked content access requests (002 l.245-247).</summary>
    public static readonly IReadOnlyList<string> Headteachers = [Roles.Headteacher];

    /// <summary>
    /// The roles a trust may name in <c>blocked_sites.access_approver</c> (002 Appendix A: the headteacher by default): the
    /// endpoint admits them, the handler then requires the one the school's policy names.
    /// </summary>
    public static readonly IReadOnlyList<string> BlockedContentApprovers = [Roles.Headteacher, Roles.Dsl, Roles.IctTechnician];

    /// <summary>Platform operators: onboard trusts (they belong to none).</summary>
    public static readonly IReadOnlyList<string> PlatformOperators = [Roles.PlatformOperator];

    /// <summary>Readers of a trust's own directory entry: platform operators (any trust) and the trust's admins (their own).</summary>
    public static readonly IReadOnlyList<string> TrustDirectoryReaders = [Roles.PlatformOperator, Roles.TrustAdmin];

    /// <summary>The platform's own services (never a person): read cross-trust feeds such as the API key changes.</summary>
    public static readonly IReadOnlyList<string> PlatformServices = [Roles.PlatformService];

    /// <summary>The "leadership team" approval step of 000/003/004 ("approved by the leadership team").</summary>
    public const string LeadershipTeamStep = "leadership_team";

    /// <summary>
    /// The roles that may take a step of an account application's approval chain: 002 approves accounts "by the
    /// headteacher/principal or the CEO", so a trust admin may take a headteacher step, and the leadership team's step is
    /// the headteacher's (or the CEO's); any other step only its own role. Accounts decides with it and the console offers
    /// the decision form with it: one rule, not a copy.
    /// </summary>
    public static IReadOnlyList<string> ForApprovalStep(string step) => step switch
    {
        Roles.Headteacher or LeadershipTeamStep => [Roles.Headteacher, Roles.TrustAdmin],
        _ => [step],
    };
}
