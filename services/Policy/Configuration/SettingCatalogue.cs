namespace Trust.Platform.Policy.Configuration;

public enum SettingType
{
    Integer,
    Boolean,
    Text,
    Choice,
    Date,
    Time,
    Person,
    PersonList,
    TextList,
    RoleList,
    WeekdayList,
    DateList,
    TermList,
}

/// <summary>How far a school may move away from the trust's value (DESIGN.md, "Settings: inherit, override, lock").</summary>
public enum OverrideRule
{
    /// <summary>Schools inherit the trust value.</summary>
    Locked,

    /// <summary>Schools may set any valid value.</summary>
    Free,

    /// <summary>Schools may only move the value the strict way (see <see cref="SettingDefinition.StricterIs"/>).</summary>
    TightenOnly,

    /// <summary>Lists: schools may add items, never remove the trust's.</summary>
    UnionOnly,
}

/// <summary>For tighten-only settings: which way is stricter. For choices, values are listed strictest first.</summary>
public enum Stricter
{
    Lower,
    Higher,
}

/// <summary>One policy setting, declared once: key, type, default, description, the seed lines it comes from, and its default rule.</summary>
public sealed record SettingDefinition(
    string Key,
    SettingType Type,
    object? Default,
    string Description,
    IReadOnlyList<string> Seeds,
    OverrideRule Rule,
    Stricter? StricterIs = null,
    IReadOnlyList<string>? Choices = null,
    int? Min = null,
    int? Max = null)
{
    /// <summary>Rules a trust may choose for this setting: lock or free always; the ordered/list rule where the type allows it.</summary>
    public IReadOnlyList<OverrideRule> AllowedRules => Type switch
    {
        _ when StricterIs is not null => [OverrideRule.Locked, OverrideRule.Free, OverrideRule.TightenOnly],
        SettingType.TextList or SettingType.DateList or SettingType.PersonList => [OverrideRule.Locked, OverrideRule.Free, OverrideRule.UnionOnly],
        _ => [OverrideRule.Locked, OverrideRule.Free],
    };
}

/// <summary>
/// Every setting the seeds need. Defaults express the trust-wide policy of 002 (Aspire Educational Trust);
/// schools tailor within each rule. Seed references: 000 Old Basford, 001 Newbury, 002 AET, 003 Mellers,
/// 004 Brierley Hill.
/// </summary>
public static class SettingCatalogue
{
    private static readonly object[] NoPeople = [];

    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        // Named roles
        new("roles.headteacher", SettingType.Person, null, "The headteacher or principal named in the policy.", ["002: Roles and responsibilities - Headteacher/Principal"], OverrideRule.Free),
        new("roles.dsls", SettingType.PersonList, NoPeople, "Designated safeguarding leads.", ["002: Roles - DSL", "001: inappropriate contact goes to the DSL"], OverrideRule.Free),
        new("roles.esafety_team", SettingType.PersonList, NoPeople, "The school's e-safety team, with job titles.", ["000 line 84: e-safety team consists of", "003 line 73"], OverrideRule.Free),
        new("roles.network_manager", SettingType.Person, null, "The school's network manager.", ["000 line 85", "003 line 74"], OverrideRule.Free),
        new("roles.filtering_provider", SettingType.Text, null, "The filtering and monitoring provider.", ["000 line 86: Smoothwall"], OverrideRule.Free),
        new("roles.filtering_maintainer", SettingType.Person, null, "Who maintains the filtering and monitoring.", ["000 line 86: maintained by"], OverrideRule.Free),
        new("roles.marketing_officer", SettingType.Person, null, "Runs the account register and moderation log; first approver of new accounts.", ["002: Roles - Marketing officer", "002 Appendix C"], OverrideRule.Free),
        new("roles.chair", SettingType.Person, null, "Chair of governors or of the board of trustees: receives concerns about the headteacher.", ["002: concern about the headteacher is reported to the Chair", "000 line 110"], OverrideRule.Free),
        new("escalation.contacts", SettingType.PersonList, NoPeople, "Who cases escalate to beyond the school.", ["002: escalation", "001: whistle-blowing and grievance routes"], OverrideRule.Free),

        // Response SLA and calendar
        new("sla.response_hours", SettingType.Integer, 48, "Comments, queries and complaints on school accounts are answered within this many hours.", ["000 line 102: within 48 hours", "003 line 91: within 24 hours", "004: within 24 hours"], OverrideRule.TightenOnly, Stricter.Lower, Min: 1, Max: 168),
        new("sla.non_working_day_rule", SettingType.Choice, "end_of_next_working_day", "What happens to a message received on a weekend or closure day.", ["000 line 102: or on the next working day if received at a weekend"], OverrideRule.Locked, Choices: ["end_of_next_working_day"]),
        new("calendar.time_zone", SettingType.Text, "Europe/London", "IANA time zone the school's clocks run in.", ["DESIGN.md: SLA clocks in the school's time zone"], OverrideRule.Free),
        new("calendar.working_days", SettingType.WeekdayList, new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }, "Working days.", ["000 line 102: weekend"], OverrideRule.Locked),
        new("calendar.end_of_day", SettingType.Time, "17:00", "End of the working day, when next-working-day deadlines fall.", ["platform default: 17:00, when a next-working-day SLA deadline falls"], OverrideRule.Free),
        new("calendar.terms", SettingType.TermList, Array.Empty<object>(), "Term dates, set by the trust.", ["002: termly training"], OverrideRule.Locked),
        new("calendar.closure_days", SettingType.DateList, Array.Empty<string>(), "Closure days: the trust's, plus any a school adds.", ["platform rule: a school adds its own closures to the trust's"], OverrideRule.UnionOnly),

        // Review
        new("review.cycle_months", SettingType.Integer, 12, "Months between reviews, at most 24 (000 line 203: reviewed in 2 years); schools may review more often than the trust, not less. A school's approval sets its next review date this many months on.", ["002: reviewed annually", "000 line 203: reviewed in 2 years", "004: annual review"], OverrideRule.TightenOnly, Stricter.Lower, Min: 1, Max: 24),
        new("review.next_review_date", SettingType.Date, null, "The next review date.", ["000 line 10: Next review date", "003 line 190: reviewed in March 2025"], OverrideRule.Free),
        new("document.owner", SettingType.Text, null, "Owner named in the document control block.", ["000 line 9: Owner"], OverrideRule.Free),
        new("document.template", SettingType.Choice, Documents.TemplateLibrary.SwgflSchool, "The template the school's document is rendered from (GET /v1/policy/templates).", ["000/003/004: the SWGfL template", "001: a KCSIE-style policy"], OverrideRule.Free, Choices: Documents.TemplateLibrary.SchoolKeys),

        // Accounts
        new("accounts.minimum_administrators", SettingType.Integer, 2, "Named administrators an official account needs at least.", ["000 line 95: at least two staff members should be named", "002 Appendix C", "004"], OverrideRule.TightenOnly, Stricter.Higher, Min: 1, Max: 10),
        new("accounts.approval_chain", SettingType.RoleList, new[] { "marketing_officer", "headteacher" }, "Ordered roles that approve a new account.", ["002 Appendix C: approvals by the marketing officer then the headteacher", "000 line 98: SLT approval"], OverrideRule.Locked),
        new("accounts.required_business_case_fields", SettingType.TextList, new[] { "purpose", "audiences", "administrators", "moderator", "open_or_closed" }, "Business-case fields every application must fill.", ["000 lines 91-96: aim, audience, promotion, who runs it, open or closed", "002 Appendix C"], OverrideRule.UnionOnly),
        new("accounts.naming_convention", SettingType.Choice, "department_or_activity", "How account handles are named.", ["004: named after the department or activity, not a staff member"], OverrideRule.Locked, Choices: ["department_or_activity", "free_form"]),
        new("accounts.who_may_post", SettingType.RoleList, new[] { "marketing_officer" }, "Roles that may post on official accounts.", ["002: marketing officer approves content"], OverrideRule.Free),

        // Content
        new("blocked_sites", SettingType.TextList, new[] { "facebook.com", "instagram.com", "twitter.com" }, "Sites blocked on the school network; schools may add more.", ["002: Facebook, Instagram and Twitter are blocked", "000 line 118: blanket ban"], OverrideRule.UnionOnly),
        new("blocked_sites.access_approver", SettingType.Choice, "headteacher", "Who approves a request to access blocked content.", ["002 Appendix A: approved by the headteacher"], OverrideRule.Locked, Choices: ["headteacher", "dsl", "ict_technician"]),
        new("pupils.social_media_ban", SettingType.Boolean, true, "Social networking sites are blocked for pupils.", ["000 line 118: blanket ban for all forums and social networking"], OverrideRule.Locked),
        new("posts.allowed_categories", SettingType.TextList, new[] { "celebrations", "events", "curriculum", "achievements", "notices" }, "What official accounts may post about.", ["002: allowed post categories"], OverrideRule.Free),
        new("posts.tone_keywords", SettingType.TextList, new[] { "professional", "respectful", "balanced" }, "The tone posts keep.", ["000: use an appropriate and professional tone"], OverrideRule.Free),

        // Staff rules
        new("staff.personal_use_in_lessons", SettingType.Boolean, false, "Staff may use personal social media during lessons.", ["002: staff must not use personal social media in lessons"], OverrideRule.TightenOnly, Stricter.Lower),
        new("staff.personal_use_in_breaks", SettingType.Boolean, true, "Staff may use personal social media during breaks, away from pupils.", ["000 line 113: reasonable and appropriate access"], OverrideRule.TightenOnly, Stricter.Lower),
        new("staff.may_follow_pupils", SettingType.Boolean, false, "Staff may follow or befriend current pupils.", ["001: must not accept current pupils as friends", "004: must not follow current pupils"], OverrideRule.Locked),
        new("staff.may_follow_parents", SettingType.Boolean, false, "Staff may follow or befriend pupils' parents.", ["002: staff should not befriend parents"], OverrideRule.TightenOnly, Stricter.Lower),
        new("staff.may_follow_ex_pupils_under_18", SettingType.Boolean, false, "Staff may follow ex-pupils under 18.", ["001: or ex-pupils under 18", "004: former pupils"], OverrideRule.Locked),
        new("journalist.rule", SettingType.Choice, "headteacher_and_chair", "Who staff speak to when a journalist makes contact.", ["000 line 110: Headteacher and chair of governors", "003 line 98: the school media policy"], OverrideRule.Free, Choices: ["headteacher_and_chair", "media_policy"]),

        // Training
        new("training.induction_window_days", SettingType.Integer, 30, "Days from a start date to complete social media policy induction.", ["000 line 166: training as part of new starter induction"], OverrideRule.TightenOnly, Stricter.Lower, Min: 1, Max: 365),
        new("training.refresher_cadence", SettingType.Choice, "termly", "How often staff refresh their training.", ["002: termly training for staff", "000 line 167: regular and ongoing"], OverrideRule.TightenOnly, Stricter.Lower, Choices: ["termly", "annual"]),
        new("training.pupil_education", SettingType.Choice, "termly", "How often pupils are taught about social media.", ["002: pupils trained termly", "000 line 143: computing and PSHE"], OverrideRule.TightenOnly, Stricter.Lower, Choices: ["termly", "annual"]),
        new("training.parent_sessions", SettingType.Choice, "termly", "How often parents are invited to sessions.", ["002: parents invited"], OverrideRule.TightenOnly, Stricter.Lower, Choices: ["termly", "annual"]),
        new("training.refresher_after_significant_incident", SettingType.Boolean, true, "A significant incident triggers a refresher for the school's staff.", ["002: refreshed after significant incidents"], OverrideRule.Locked),
    ];

    public static readonly IReadOnlyDictionary<string, SettingDefinition> ByKey = All.ToDictionary(s => s.Key, StringComparer.Ordinal);
}
