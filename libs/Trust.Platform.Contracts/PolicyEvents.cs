namespace Trust.Platform.Contracts;

/// <summary>A named person in a policy role (000: "e-safety team", "network manager"...). StaffId links to the Training roster when known.</summary>
public sealed record NamedPerson(string Name, string? JobTitle = null, Guid? StaffId = null);

/// <summary>One term of the school year (trust-set); SLA clocks and termly refreshers use these.</summary>
public sealed record Term(string Name, DateOnly Start, DateOnly End);

/// <summary>The school's calendar: working days, end of the working day, terms (trust), closure days (trust + school).</summary>
public sealed record CalendarSettings(
    string TimeZone,
    IReadOnlyList<DayOfWeek> WorkingDays,
    TimeOnly EndOfDay,
    IReadOnlyList<Term> Terms,
    IReadOnlyList<DateOnly> ClosureDays);

/// <summary>
/// Response SLA for comments, queries and complaints on school accounts (000: 48 h, 003/004: 24 h).
/// NonWorkingDayRule "end_of_next_working_day": a message on a weekend/closure day is due at the end of
/// the next working day (000: "next working day at weekends").
/// </summary>
public sealed record SlaSettings(int ResponseHours, string NonWorkingDayRule);

/// <summary>Who cases are routed to and who is named in the document.</summary>
public sealed record RoutingSettings(
    NamedPerson? Headteacher,
    IReadOnlyList<NamedPerson> Dsls,
    NamedPerson? Chair,
    IReadOnlyList<NamedPerson> ESafetyTeam,
    NamedPerson? MarketingOfficer,
    NamedPerson? NetworkManager,
    string? FilteringProvider,
    NamedPerson? FilteringMaintainer,
    /// <summary><c>headteacher_and_chair</c> (000) or <c>media_policy</c> (003/004).</summary>
    string JournalistRule,
    IReadOnlyList<NamedPerson> EscalationContacts);

/// <summary>Account rules (000/003/004 business case; 002 Appendix C).</summary>
public sealed record AccountRuleSettings(
    int MinimumAdministrators,
    /// <summary>Ordered roles that approve an application, e.g. ["marketing_officer", "headteacher"] (002).</summary>
    IReadOnlyList<string> ApprovalChain,
    IReadOnlyList<string> RequiredBusinessCaseFields,
    /// <summary><c>department_or_activity</c> (004: not a staff member's name).</summary>
    string NamingConvention,
    /// <summary>Roles that approve posts on official accounts (<c>accounts.who_may_post</c>; 002: the marketing officer). Null from an older publisher: the catalogue's.</summary>
    IReadOnlyList<string>? WhoMayPost = null,
    /// <summary>What official accounts may post about (<c>posts.allowed_categories</c>; 002 l.145-148). Null from an older publisher: the catalogue's.</summary>
    IReadOnlyList<string>? PostCategories = null,
    /// <summary>The tone posts keep (<c>posts.tone_keywords</c>; 002 l.150-157). Null from an older publisher: the catalogue's.</summary>
    IReadOnlyList<string>? ToneKeywords = null);

/// <summary>Training cadences (000/003 induction and regular; 002 termly, parents invited, refresher after significant incidents).</summary>
public sealed record TrainingSettings(
    int InductionWindowDays,
    /// <summary><c>termly</c> or <c>annual</c>.</summary>
    string RefresherCadence,
    string PupilEducationCadence,
    string ParentSessionCadence,
    bool RefresherAfterSignificantIncident);

/// <summary>
/// Staff use of personal social media (settings <c>staff.*</c>): the rules a member of staff agrees to when they
/// acknowledge the policy (002 l.167-170, 001 l.69, 004, 000 l.113).
/// </summary>
public sealed record StaffRuleSettings(
    bool PersonalUseInLessons,
    bool PersonalUseInBreaks,
    bool MayFollowPupils,
    bool MayFollowParents,
    bool MayFollowExPupilsUnder18);

/// <summary>
/// A policy version was published for a school: the effective settings the other services act on.
/// One event per school per publication.
/// </summary>
public sealed record PolicyPublished(
    Guid EventId,
    Guid TrustId,
    Guid SchoolId,
    DateTimeOffset OccurredAt,
    Guid PolicyVersionId,
    string Version,
    bool IsMajor,
    DateOnly? NextReviewDate,
    CalendarSettings Calendar,
    SlaSettings Sla,
    RoutingSettings Routing,
    AccountRuleSettings Accounts,
    TrainingSettings Training,
    /// <summary>The school's effective staff rules; null from a publisher that does not send them yet.</summary>
    StaffRuleSettings? StaffRules = null) : ISchoolEvent;

/// <summary>A policy review falls due (2 months, 1 month, 1 week before, and on the date) or is overdue.</summary>
public sealed record PolicyReviewDue(
    Guid EventId,
    Guid TrustId,
    Guid SchoolId,
    DateTimeOffset OccurredAt,
    DateOnly ReviewDate,
    /// <summary><c>2_months</c>, <c>1_month</c>, <c>1_week</c>, <c>due</c> or <c>overdue</c>.</summary>
    string Reminder) : ISchoolEvent;

/// <summary>
/// What a service assumes before the first PolicyPublished for a school reaches it: the catalogue
/// defaults, which express the trust baseline of seed 002.
/// </summary>
public static class PolicyDefaults
{
    public static readonly IReadOnlyList<DayOfWeek> WorkingDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static CalendarSettings Calendar(string timeZone = "Europe/London") =>
        new(timeZone, WorkingDays, new TimeOnly(17, 0), [], []);

    public static readonly SlaSettings Sla = new(48, "end_of_next_working_day");

    public static readonly RoutingSettings Routing = new(null, [], null, [], null, null, null, null, "headteacher_and_chair", []);

    public static readonly AccountRuleSettings Accounts = new(
        2,
        ["marketing_officer", "headteacher"],
        ["purpose", "audiences", "administrators", "moderator", "open_or_closed"],
        "department_or_activity",
        ["marketing_officer"],
        ["celebrations", "events", "curriculum", "achievements", "notices"],
        ["professional", "respectful", "balanced"]);

    public static readonly TrainingSettings Training = new(30, "termly", "termly", "termly", true);

    /// <summary>The catalogue defaults of <c>staff.*</c>: no personal use in lessons, use in breaks, following nobody.</summary>
    public static readonly StaffRuleSettings StaffRules = new(false, true, false, false, false);
}
