using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Policy.Documents;

/// <summary>What the trust document's control block shows (002 lines 9-10: prepared by and date; 002 line 57: annual review).</summary>
public sealed record TrustDocumentControl(
    string Trust, string? Version, DateOnly? VersionDate, string? PreparedBy, string? ApprovedBy, DateOnly? ApprovalDate,
    DateOnly? NextReviewDate, IReadOnlyList<VersionHistoryEntry> History);

/// <summary>
/// One field of an appendix form and the request property that carries it when the form is filled in through the API:
/// <paramref name="Schema"/> names the request schema in <paramref name="Service"/>'s contract, <paramref name="Property"/> a
/// dotted path in it (<c>inappropriateContent.fullUrls</c>), <paramref name="Value"/> an enum value the field stands for
/// (a tick box or a statement); a field that fills two properties has an entry for each. A field no request carries has no property and says why in <paramref name="Reason"/>. <paramref name="Table"/>
/// tells apart a label that two tables of one form share (the tick boxes of 002 Appendix C's audiences and contributors); a
/// property the form itself fixes is mapped from the form's title, with <paramref name="Table"/> <see cref="TrustDocument.FormTitle"/>
/// (Appendix B is an inappropriate content report, so its <c>type</c> is <c>inappropriate_content</c>).
/// </summary>
public sealed record FormField(
    string Appendix, string Label, string? Service = null, string? Schema = null, string? Property = null, string? Value = null, string? Reason = null,
    string? Table = null);

/// <summary>
/// The trust's own policy (002: statement of intent, roles, sections 1 to 9, Appendices A, B and C), rendered with the
/// trust's baseline values. A list setting alone on a bullet line (<c>- {{posts.allowed_categories}}</c>) becomes one
/// bullet per item, as 002 lists its post categories (lines 145-148) and blocked sites (lines 237-239).
/// </summary>
public static partial class TrustDocument
{
    /// <summary>The template's name, for the trust's library of templates.</summary>
    public const string TemplateName = "trust-aet";

    /// <summary>The built-in text (the trust's library holds it until the trust saves its own copy).</summary>
    public static string Template => TemplateLibrary.Find(TemplateName)!.Markdown;

    private const string CaseReport = "ReportCaseRequest";
    private const string AccessRequest = "CreateAccessRequestRequest";
    private const string AccessDecision = "DecideAccessRequestRequest";
    private const string Application = "ApplicationRequest";
    private const string Decision = "DecisionRequest";
    private const string Contributors = "Proposed contributors to the site";
    private const string Caller = "the API records who is signed in";

    /// <summary>The <see cref="FormField.Table"/> of a property the form's title fixes, not one of its rows.</summary>
    public const string FormTitle = "(the form's title)";
    private const string Signature = "a paper signature; the API records the signed-in actor and the time";

    /// <summary>
    /// Appendix fields and the request properties they fill. Appendix A is Policy's blocked-content access request (its
    /// approval is the allowance in the school's blocked-sites feed).
    /// </summary>
    public static IReadOnlyList<FormField> FormFields { get; } =
    [
        new("A", "Requester", Reason: "a group heading"),
        new("A", "Staff name", Reason: Caller),
        new("A", "Date", Reason: "the API records when the request is made"),
        new("A", "Site to allow (its address, e.g. youtube.com)", "policy", AccessRequest, "site"),
        new("A", "Full URL", "policy", AccessRequest, "fullUrl"),
        new("A", "Site content", "policy", AccessRequest, "siteContent"),
        new("A", "Reasons for access", "policy", AccessRequest, "reason"),
        new("A", "Lesson or use", "policy", AccessRequest, "intendedUse"),
        new("A", "Access from", "policy", AccessRequest, "allowedFrom"),
        new("A", "Access until (at most 42 days later)", "policy", AccessRequest, "allowedUntil"),
        new("A", "Identified risks and control measures", "policy", AccessRequest, "risksAndControls"),
        new("A", "Authoriser", Reason: "a group heading"),
        new("A", "Approved?", "policy", AccessDecision, "approved"),
        new("A", "Reasons", "policy", AccessDecision, "reason"),
        new("A", "Signature", Reason: Signature),

        new("B", "Inappropriate content report form", "incidents", CaseReport, "type", "inappropriate_content", Table: FormTitle),
        new("B", "Staff name (submitting report)", Reason: Caller),
        new("B", "Name of individual accessing inappropriate content (if known)", "incidents", CaseReport, "inappropriateContent.personAccessing"),
        new("B", "Date", "incidents", CaseReport, "inappropriateContent.date"),
        new("B", "Full URL(s)", "incidents", CaseReport, "inappropriateContent.fullUrls"),
        new("B", "Nature of inappropriate content", "incidents", CaseReport, "inappropriateContent.natureOfContent"),
        new("B", "Summary of the report", "incidents", CaseReport, "summary"),
        new("B", "To be completed by ICT technician", Reason: "a group heading"),
        new("B", "Action taken", "incidents", CaseReport, "inappropriateContent.actionTaken"),
        new("B", "Staff name", Reason: Caller),
        new("B", "Signature", Reason: Signature),

        new("C", "Team details", Reason: "a group heading"),
        new("C", "School", "accounts", Application, "schoolId"),
        new("C", "Department", Reason: "the account is named after the department or activity (the handle below); the application holds no separate department"),
        new("C", "Moderator of site", "accounts", Application, "moderator"),
        new("C", "Social media platform", "accounts", Application, "platform"),
        new("C", "Proposed account name", "accounts", Application, "handle"),
        new("C", "Purpose of using social media", Reason: "a group heading"),
        new("C", "Please describe why you want to set up this site and the content of the site", "accounts", Application, "purpose"),
        new("C", "What are your aims and what do you hope to achieve by setting up this site?", "accounts", Application, "evaluation"),
        new("C", "What is the proposed content of the site?", "accounts", Application, "proposedContent"),
        new("C", "Proposed audience of the site", "accounts", Application, "audiences"),
        new("C", "☐ Pupils of the school, ages:", "accounts", Application, "audiences.kind", "pupils"),
        new("C", "☐ School staff", "accounts", Application, "audiences.kind", "staff"),
        new("C", "☐ Pupils' family members", "accounts", Application, "audiences.kind", "families"),
        new("C", "☐ External organisations", "accounts", Application, "audiences.kind", "external_organisations"),
        new("C", "☐ Pupils from other schools, schools involved:", "accounts", Application, "audiences.kind", "other_schools_pupils"),
        new("C", "☐ Members of the public", "accounts", Application, "audiences.kind", "public"),
        new("C", "☐ Other (please give details)", "accounts", Application, "audiences.description"),
        new("C", "Proposed contributors to the site", "accounts", Application, "contributors"),
        new("C", "☐ Pupils of the school, ages:", "accounts", Application, "contributors", Table: Contributors),
        new("C", "☐ School staff", "accounts", Application, "contributors", Table: Contributors),
        new("C", "☐ Pupils' family members", "accounts", Application, "contributors", Table: Contributors),
        new("C", "☐ External organisations", "accounts", Application, "contributors", Table: Contributors),
        new("C", "☐ Pupils from other schools, schools involved:", "accounts", Application, "contributors", Table: Contributors),
        new("C", "☐ Members of the public", "accounts", Application, "contributors", Table: Contributors),
        new("C", "☐ Other (please give details)", "accounts", Application, "contributors", Table: Contributors),
        new("C", "Administration of the site", Reason: "a group heading"),
        new("C", "Names of administrators (the site must have at least two approved administrators)", "accounts", Application, "administrators"),
        new("C", "Who will vet external contributors? (Please state name and job role)", "accounts", Application, "externalContributorVetting"),
        new("C", "Who will host the site?", "accounts", Application, "hosting"),
        new("C", "Proposed date of going live", "accounts", Application, "goLiveDate"),
        new("C", "How do you propose to advertise for contributors?", "accounts", Application, "contributorRecruitment"),
        new("C", "If contributors include pupils, how do you propose to inform and obtain the consent of parents or responsible adults?", "accounts", Application, "parentalConsent"),
        new("C", "What security measures will you take to prevent unwanted or unsuitable individuals from contributing or becoming 'friends' and 'followers' etc. of the site?", "accounts", Application, "securityMeasures"),
        // Each approval is a decision on its step of the approval chain (002 line 325: the marketing officer, then the headteacher),
        // and its statement ("I approve") is the decision's outcome: one row fills two properties.
        new("C", "{{roles.marketing_officer}}: I approve the aims and content of the proposed site and the use of the school brand and logo.", "accounts", Decision, "step"),
        new("C", "{{roles.marketing_officer}}: I approve the aims and content of the proposed site and the use of the school brand and logo.", "accounts", Decision, "outcome", "approve"),
        new("C", "Headteacher/principal: I approve the aims and content of the proposed site and the use of the school brand and logo.", "accounts", Decision, "step"),
        new("C", "Headteacher/principal: I approve the aims and content of the proposed site and the use of the school brand and logo.", "accounts", Decision, "outcome", "approve"),
        new("C", "Name", Reason: Caller),
        new("C", "Date", Reason: "the API records when the decision is made"),
        new("C", "Signature", Reason: Signature),
    ];

    /// <summary>The body: the template with the trust's values; a list setting alone on a bullet line becomes one bullet per item.</summary>
    public static RenderedBody RenderBody(string template, string trustName, IReadOnlyDictionary<string, JsonNode?> values)
    {
        var lines = new StringBuilder();
        foreach (var line in template.ReplaceLineEndings("\n").Split('\n'))
        {
            if (ListLine().Match(line) is { Success: true } match && values.GetValueOrDefault(match.Groups["key"].Value) is JsonArray items &&
                items.All(i => i is JsonValue))
            {
                // "{" too, so that an item never reads as a placeholder when the rest of the template is filled.
                foreach (var item in items)
                {
                    lines.Append("- ").Append(SafeMarkdown.Escape(item!.GetValue<string>()).Replace("{", "\\{", StringComparison.Ordinal)).Append('\n');
                }

                continue;
            }

            lines.Append(line).Append('\n');
        }

        return PolicyDocument.RenderBody(lines.ToString().TrimEnd('\n'), trustName, trustName, values, new Dictionary<string, string>());
    }

    /// <summary>The whole document as Markdown, made safe the way a school's document is (<see cref="SafeMarkdown.Neutralise"/>).</summary>
    public static string RenderMarkdown(TrustDocumentControl control, string body)
    {
        var b = new StringBuilder();
        b.Append("# ").Append(Text(control.Trust)).Append(" Social Media Policy\n\n");
        b.Append("| Document control | |\n|---|---|\n");
        Row(b, "Organisation", control.Trust);
        Row(b, "Version and date", control.Version is null ? "Not yet published" : $"{control.Version}, {Date(control.VersionDate)}");
        Row(b, "Prepared by", control.PreparedBy);
        Row(b, "Approved by", control.ApprovedBy ?? "Not yet approved");
        Row(b, "Approval date", Date(control.ApprovalDate));
        Row(b, "Next review date", Date(control.NextReviewDate));
        b.Append("\n## Document version history\n\n| Version | Date | Approved by | Summary of changes |\n|---|---|---|---|\n");
        foreach (var entry in control.History)
        {
            b.Append("| ").Append(Text(entry.Version)).Append(" | ").Append(Text(Date(entry.Date)!)).Append(" | ").Append(Text(entry.ApprovedBy ?? ""))
                .Append(" | ").Append(Text(entry.Summary)).Append(" |\n");
        }

        b.Append('\n').Append(body);
        return SafeMarkdown.Neutralise(b.ToString());
    }

    /// <summary>A row only when there is a value: the trust document never shows an unset one.</summary>
    private static void Row(StringBuilder b, string label, string? value)
    {
        if (value is not null)
        {
            b.Append("| ").Append(label).Append(" | ").Append(Text(value)).Append(" |\n");
        }
    }

    private static string? Date(DateOnly? date) => date is { } d ? Written.Date(d) : null;

    private static string Text(string text) => SafeMarkdown.Escape(text);

    [GeneratedRegex(@"^- \{\{(?<key>[a-z0-9_.]+)\}\}$")]
    private static partial Regex ListLine();
}
