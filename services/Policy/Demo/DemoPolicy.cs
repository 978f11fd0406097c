using System.Text.Json.Nodes;

namespace Trust.Platform.Policy.Demo;

/// <summary>
/// The seeds as configuration. The baseline expresses 002 (AET) on top of the catalogue defaults;
/// each school's overrides express what its own policy says differently (000, 001, 003, 004).
/// </summary>
public static class DemoPolicy
{
    private static JsonNode Person(string name, string? jobTitle = null) =>
        jobTitle is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["jobTitle"] = jobTitle };

    /// <summary>002: the trust-wide rules. SLA 48 h tighten-only, two administrators, marketing officer then headteacher are catalogue defaults already.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Baseline { get; } = new Dictionary<string, JsonNode?>
    {
        // 002: "Concerns about the headteacher go to the chair of the board of trustees".
        ["roles.chair"] = Person("Chair of the Board of Trustees"),
        ["calendar.terms"] = new JsonArray(
            new JsonObject { ["name"] = "Autumn 2026", ["start"] = "2026-09-02", ["end"] = "2026-12-18" },
            new JsonObject { ["name"] = "Spring 2027", ["start"] = "2027-01-05", ["end"] = "2027-03-26" },
            new JsonObject { ["name"] = "Summer 2027", ["start"] = "2027-04-12", ["end"] = "2027-07-21" }),
        ["review.next_review_date"] = "2027-09-01",
        ["document.owner"] = "AET Central Team",
    };

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonNode?>> Schools { get; } = new Dictionary<string, IReadOnlyDictionary<string, JsonNode?>>
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
            ["review.next_review_date"] = "2028-03-31",
            ["document.owner"] = "Laura Duffin",
        },

        // 003 lines 73-74, 91, 98, 190.
        ["Mellers Primary School"] = new Dictionary<string, JsonNode?>
        {
            ["roles.esafety_team"] = new JsonArray(Person("Jo Kervick", "Computing Lead"), Person("Gary Phillips", "IT technician"), Person("Jo Travis", "SBM")),
            ["roles.network_manager"] = Person("Gary Phillips", "IT technician"),
            ["roles.filtering_provider"] = "Smoothwall",
            ["roles.filtering_maintainer"] = Person("Gary Phillips", "IT technician"),
            ["roles.chair"] = Person("Chair of Governors"),
            ["sla.response_hours"] = 24,
            ["journalist.rule"] = "media_policy",
            ["review.next_review_date"] = "2025-03-31",
        },

        // 004: 24 h response, a Data Protection Impact Assessment and a privacy-setting reason in every business case.
        ["Brierley Hill Primary School"] = new Dictionary<string, JsonNode?>
        {
            ["sla.response_hours"] = 24,
            ["journalist.rule"] = "media_policy",
            ["accounts.required_business_case_fields"] = new JsonArray("purpose", "audiences", "administrators", "moderator", "open_or_closed", "dpia", "privacy_setting_reason"),
        },

        // 001: whistle-blowing and grievance routes as escalation contacts.
        ["Newbury School"] = new Dictionary<string, JsonNode?>
        {
            ["escalation.contacts"] = new JsonArray(Person("Whistle-blowing officer"), Person("Grievance officer")),
        },
    };
}
