using System.Globalization;
using System.Text.Json.Nodes;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Policy.Demo;

/// <summary>
/// The seeds as configuration. The baseline expresses 002 (AET) on top of the catalogue defaults;
/// each school's overrides express what its own policy says differently (000, 001, 003, 004).
/// The dates move with the day the demo runs (docs/adr/0007): a trust's calendar is always relative to today.
/// </summary>
public static class DemoPolicy
{
    /// <summary>The settings whose demo values are dates, rolled forward when the demo is seeded again on a later day.</summary>
    public static readonly string[] DatedKeys = ["calendar.terms", "review.next_review_date"];

    /// <summary>
    /// The demo's dates on <paramref name="today"/>: this school year's and next year's terms; the trust's review a few
    /// months ahead (no reminder due yet); Old Basford's next month (its 2-month reminder due, 000 reviews every 2 years);
    /// Mellers' three months past (003's "reviewed in March 2025" had passed when the seeds were written: overdue).
    /// Month ends, so that seeding again within a month changes nothing.
    /// </summary>
    public sealed record Dates(IReadOnlyList<Term> Terms, DateOnly TrustReview, DateOnly OldBasfordReview, DateOnly MellersReview)
    {
        public static Dates For(DateOnly today) => new(
            EnglishSchoolYear.ThisYearAndNext(today), EndOfMonth(today.AddMonths(4)), EndOfMonth(today.AddMonths(1)), EndOfMonth(today.AddMonths(-3)));

        private static DateOnly EndOfMonth(DateOnly day) => new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1);
    }

    private static JsonNode Person(string name, string? jobTitle = null) =>
        jobTitle is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["jobTitle"] = jobTitle };

    private static JsonNode Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// 002: every value the trust's own policy gives, in its words; nothing where it is silent (the response SLA, the
    /// journalist rule and the parent-session cadence come from the catalogue: 002 line 261 says only "on a regular basis").
    /// The calendar's terms are the platform's (termly training needs them), and the review date moves with the day.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonNode?> Baseline(DateOnly today)
    {
        var dates = Dates.For(today);
        return new Dictionary<string, JsonNode?>
        {
            // 002 line 225: "If the concern is about the headteacher/principal, it will be reported to the Chair of Board of Trustees."
            ["roles.chair"] = Person("Chair of Board of Trustees"),

            // 002 lines 100 and 327: the role 002 names (no person); first approver of a new account (002 lines 325-327).
            ["roles.marketing_officer"] = Person("Marketing officer"),
            ["calendar.terms"] = new JsonArray([.. dates.Terms.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["start"] = Day(t.Start), ["end"] = Day(t.End) })]),

            // 002 line 57: "Reviewing this policy on an annual basis."
            ["review.cycle_months"] = 12,
            ["review.next_review_date"] = Day(dates.TrustReview),

            // 002 lines 9-10: "Prepared by: CEO".
            ["document.owner"] = "CEO",

            // 002 lines 325-331: the marketing officer approves, then the headteacher/principal gives final approval.
            ["accounts.approval_chain"] = new JsonArray("marketing_officer", "headteacher"),

            // 002 line 314: "the site must have at least two approved administrators".
            ["accounts.minimum_administrators"] = 2,

            // 002 lines 237-239 name Facebook, Instagram and Twitter; the setting holds their host names, which the filtering
            // provider imports from the blocked-sites feed (a name such as "Facebook" is no host and would be left out of it).
            ["blocked_sites"] = new JsonArray("facebook.com", "instagram.com", "twitter.com"),

            // 002 line 247: "which will be approved by the headteacher/principal".
            ["blocked_sites.access_approver"] = "headteacher",

            // 002 line 194: no school Wi-Fi for social media without the headteacher's permission.
            ["pupils.social_media_ban"] = true,

            // 002 lines 145-148.
            ["posts.allowed_categories"] = new JsonArray(
                "Reminders about upcoming events",
                "Good news regarding the school's performance, attainment or reputation",
                "Good news regarding the achievements of staff and pupils",
                "Information that parents should be aware of, e.g. school closure"),

            // 002 lines 153-155: neutral opinions, appropriate and school-friendly language, neutral and sensitive language.
            ["posts.tone_keywords"] = new JsonArray("neutral", "appropriate", "school-friendly", "sensitive"),

            // 002 line 167: "Staff members will not access personal social media platforms during school hours."
            ["staff.personal_use_in_lessons"] = false,
            ["staff.personal_use_in_breaks"] = false,

            // 002 line 170: "strongly advised to not 'friend' or 'follow' parents".
            ["staff.may_follow_parents"] = false,

            // 002 line 257: "Staff will receive termly and ongoing training"; line 259: pupils "on a termly basis".
            ["training.refresher_cadence"] = "termly",
            ["training.pupil_education"] = "termly",

            // 002 line 263: "refreshed in light of any significant incidents or changes".
            ["training.refresher_after_significant_incident"] = true,
        };
    }

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonNode?>> Schools(DateOnly today)
    {
        var dates = Dates.For(today);
        return new Dictionary<string, IReadOnlyDictionary<string, JsonNode?>>
        {
            // 000 lines 9-10, 84-86, 102, 110, 203.
            ["Old Basford School"] = new Dictionary<string, JsonNode?>
            {
                ["roles.esafety_team"] = new JsonArray(Person("Hannah Booth"), Person("Brett Summersby"), Person("Ellie Baguley")),
                ["roles.network_manager"] = Person("Schools IT"),
                ["roles.filtering_provider"] = "Smoothwall",
                ["roles.filtering_maintainer"] = Person("Sharon Priddle"),
                ["roles.chair"] = Person("Chair of Governors"),
                ["journalist.rule"] = "headteacher_and_chair",
                ["review.next_review_date"] = Day(dates.OldBasfordReview),
                ["document.owner"] = "Laura Duffin",
            },

            // 003 lines 73-74, 91, 98, 190. 003 names no filtering provider (it has no line 86 of 000's): left unset, and its
            // template's lines that name one are left out.
            ["Mellers Primary School"] = new Dictionary<string, JsonNode?>
            {
                ["roles.esafety_team"] = new JsonArray(Person("Jo Kervick", "Computing Lead"), Person("Gary Phillips", "IT technician"), Person("Jo Travis", "SBM")),
                ["roles.network_manager"] = Person("Gary Phillips", "IT technician"),
                ["roles.chair"] = Person("Chair of Governors"),
                ["sla.response_hours"] = 24,
                ["journalist.rule"] = "media_policy",
                ["review.next_review_date"] = Day(dates.MellersReview),
            },

            // 004 lines 66, 70, 10 and 60: 24 h response, the media policy, a Data Protection Impact Assessment and a privacy-setting
            // reason in every business case. 004 names no e-safety team, network manager or filtering provider: left unset.
            ["Brierley Hill Primary School"] = new Dictionary<string, JsonNode?>
            {
                ["sla.response_hours"] = 24,
                ["journalist.rule"] = "media_policy",
                ["accounts.required_business_case_fields"] = new JsonArray("purpose", "audiences", "administrators", "moderator", "open_or_closed", "dpia", "privacy_setting_reason"),
            },

            // 001: a KCSIE-style policy (its line 6). 001 names the whistle-blowing and grievance routes (lines 102-104) but
            // no person for either, so no escalation contact is set.
            ["Newbury School"] = new Dictionary<string, JsonNode?>
            {
                ["document.template"] = Documents.TemplateLibrary.KcsieSchool,
            },
        };
    }

    /// <summary>
    /// Each school's own text, by section of its template (<c>Demo/Sections/&lt;school&gt;/&lt;section&gt;.md</c>): Mellers' own
    /// wording of 000's sections (003: "Leadership Team" where 000 says SLT, line 171's report form) and Brierley Hill's
    /// adaptation of the SWGfL template (004: its data protection section at an additions point, its own text of the rest).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sections(string schoolName)
    {
        var folder = schoolName switch
        {
            "Mellers Primary School" => "mellers",
            "Brierley Hill Primary School" => "brierleyhill",
            _ => null,
        };
        if (folder is null)
        {
            return new Dictionary<string, string>();
        }

        var assembly = typeof(DemoPolicy).Assembly;
        var prefix = $"Trust.Platform.Policy.Demo.Sections.{folder}.";
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..^3], n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!, System.Text.Encoding.UTF8);
                return reader.ReadToEnd().Trim();
            }, StringComparer.Ordinal);
    }
}
