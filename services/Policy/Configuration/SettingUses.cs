namespace Trust.Platform.Policy.Configuration;

/// <summary>What the platform does with a setting's value.</summary>
public enum SettingUseKind
{
    /// <summary>A Policy endpoint reads it for every school (the document, the feed, reviews, approvals).</summary>
    Endpoint,

    /// <summary>A request is refused or decided by it in the service that owns the request.</summary>
    Rule,

    /// <summary>Another service keeps it from PolicyPublished and acts on it (a clock, a due date, a route).</summary>
    Consumer,

    /// <summary>Nothing in software acts on it: the policy states it for people to follow (the reason says why).</summary>
    GuidanceOnly,
}

/// <param name="Key">The catalogue key.</param>
/// <param name="Kind">What acts on it, or guidance-only.</param>
/// <param name="What">Where it acts ("Service: what happens (type)"), or for guidance-only why nothing can.</param>
public sealed record SettingUse(string Key, SettingUseKind Kind, string What);

/// <summary>
/// For every catalogue setting, what in the code acts on it or why it is guidance only. The README's settings table
/// says the same (a test compares them), so a claim here has to be true of the code it names.
/// </summary>
public static class SettingUses
{
    public static readonly IReadOnlyList<SettingUse> All =
    [
        new("roles.headteacher", SettingUseKind.Consumer, "Incidents: a case about the named headteacher (by roster id) is routed to the chair, restricted (RosterQueries.IsAboutHeadteacherAsync)."),
        new("roles.dsls", SettingUseKind.GuidanceOnly, "Names for readers: cases route to users holding the DSL role at the school, and no service reads these names."),
        new("roles.esafety_team", SettingUseKind.Endpoint, "Policy: the school's document names the team (GET document)."),
        new("roles.network_manager", SettingUseKind.Endpoint, "Policy: the school's document names the network manager (GET document)."),
        new("roles.filtering_provider", SettingUseKind.Endpoint, "Policy: the school's document names the provider (GET document); the provider imports the blocked-sites feed."),
        new("roles.filtering_maintainer", SettingUseKind.Endpoint, "Policy: the school's document names who maintains the filtering (GET document)."),
        new("roles.marketing_officer", SettingUseKind.Endpoint, "Policy: the trust's document names the marketing officer who approves first in Appendix C (GET /v1/policy/document); account approvals go to users holding the marketing_officer role."),
        new("roles.chair", SettingUseKind.Endpoint, "Policy: the trust's document names the chair who hears concerns about the headteacher (GET /v1/policy/document); Incidents routes those cases to users holding the chair role."),
        new("escalation.contacts", SettingUseKind.Consumer, "Incidents: whistle-blowing and grievance cases go to these contacts (by staff id) and only they see them (CaseIntake, CaseVisibility); none with a staff id is a 422."),

        new("sla.response_hours", SettingUseKind.Consumer, "Incidents: the response deadline of every account message case (SlaClock.DueAt); the document states it."),
        new("sla.non_working_day_rule", SettingUseKind.Rule, "Incidents: a deadline outside working days moves to the end of the next working day (SlaClock; the one choice the catalogue allows)."),
        new("calendar.time_zone", SettingUseKind.Consumer, "Incidents: the SLA clock counts working days and end of day in this zone (SchoolCalendar)."),
        new("calendar.working_days", SettingUseKind.Consumer, "Incidents: the SLA clock skips days not listed (SchoolCalendar)."),
        new("calendar.end_of_day", SettingUseKind.Consumer, "Incidents: a next-working-day deadline falls at this time (SlaClock)."),
        new("calendar.terms", SettingUseKind.Consumer, "Training: a termly refresher is due at the end of the current term (Requirements)."),
        new("calendar.closure_days", SettingUseKind.Consumer, "Incidents: the SLA clock skips closure days (SchoolCalendar)."),

        new("review.cycle_months", SettingUseKind.Endpoint, "Policy: a school's approval sets its next review date this many months on (RecordSchoolApproval); the document states it."),
        new("review.next_review_date", SettingUseKind.Endpoint, "Policy: review reminders and the overdue flag (GET /v1/policy/reviews, PolicyReviewDue events); the document's control block."),
        new("document.owner", SettingUseKind.Endpoint, "Policy: the document control block names the owner (GET document)."),
        new("document.template", SettingUseKind.Endpoint, "Policy: the school's document renders from this template of the trust's library (GET document, SchoolDocuments)."),

        new("accounts.minimum_administrators", SettingUseKind.Rule, "Accounts: an application naming fewer administrators is refused (422); a leaver's handover keeps the count (Handover)."),
        new("accounts.approval_chain", SettingUseKind.Rule, "Accounts: the ordered roles that approve a new account application (ApprovalChain)."),
        new("accounts.required_business_case_fields", SettingUseKind.Rule, "Accounts: an application missing one of these fields is refused (BusinessCasePolicy, 422)."),
        new("accounts.naming_convention", SettingUseKind.Rule, "Accounts: a handle that reads as a staff member's name is refused under department_or_activity (BusinessCasePolicy, 422)."),
        new("accounts.who_may_post", SettingUseKind.Rule, "Accounts: only a holder of one of these roles at the school approves or rejects a post, never its submitter (DecidePost, 403)."),

        new("blocked_sites", SettingUseKind.Endpoint, "Policy: the filtering provider's feed lists the trust's and the school's sites (GET /v1/schools/{schoolId}/blocked-sites)."),
        new("blocked_sites.access_approver", SettingUseKind.Endpoint, "Policy: only this role at the school decides a blocked-content access request; an approval adds an allowance to the feed (DecideAccessRequest)."),
        new("pupils.social_media_ban", SettingUseKind.GuidanceOnly, "The filtering provider enforces it with its own social networking category; the platform sees no pupil traffic to check it against (the named sites are in the blocked-sites feed)."),
        new("posts.allowed_categories", SettingUseKind.Rule, "Accounts: a post names one of these categories, checked when submitted and again when approved (SubmitPost, DecidePost, 422)."),
        new("posts.tone_keywords", SettingUseKind.Rule, "Accounts: an approval confirms the post keeps each of these tones, a checklist for the human approver, not a word filter (DecidePost, 422)."),

        new("staff.personal_use_in_lessons", SettingUseKind.Consumer, "Training: a statement each person acknowledges (the acknowledgement records what was agreed)."),
        new("staff.personal_use_in_breaks", SettingUseKind.Consumer, "Training: a statement each person acknowledges (the acknowledgement records what was agreed)."),
        new("staff.may_follow_pupils", SettingUseKind.Consumer, "Training: a statement each person acknowledges (the acknowledgement records what was agreed)."),
        new("staff.may_follow_parents", SettingUseKind.Consumer, "Training: a statement each person acknowledges (the acknowledgement records what was agreed)."),
        new("staff.may_follow_ex_pupils_under_18", SettingUseKind.Consumer, "Training: a statement each person acknowledges (the acknowledgement records what was agreed)."),
        new("journalist.rule", SettingUseKind.Consumer, "Incidents: under headteacher_and_chair a journalist contact case informs the chair (CaseRouting); Training: a statement each person acknowledges; the document states it."),

        new("training.induction_window_days", SettingUseKind.Consumer, "Training: induction, and every raised requirement, is due this many days on (Requirements, AccountApprovedConsumer, IncidentClosedConsumer)."),
        new("training.refresher_cadence", SettingUseKind.Consumer, "Training: staff refreshers are due each term or each year (Requirements)."),
        new("training.pupil_education", SettingUseKind.Consumer, "Training: pupil session compliance per term or per year."),
        new("training.parent_sessions", SettingUseKind.Consumer, "Training: parent session compliance per term or per year."),
        new("training.refresher_after_significant_incident", SettingUseKind.Consumer, "Training: a significant incident closed at the school raises a refresher for its staff (IncidentClosedConsumer)."),
    ];

    public static readonly IReadOnlyDictionary<string, SettingUse> ByKey = All.ToDictionary(u => u.Key, StringComparer.Ordinal);

    /// <summary>The kind as the API and the README write it (<c>guidance_only</c>).</summary>
    public static string KindName(SettingUseKind kind) => Data.Tenancy.TenantDbContext.SnakeCase(kind.ToString());
}
