using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Policy.Documents;

/// <summary>What a school may do with a section of the trust's template.</summary>
public enum SectionMode
{
    /// <summary><c>&lt;!-- section: id --&gt;</c>: the trust's text; every school keeps it.</summary>
    Kept,

    /// <summary><c>&lt;!-- section: id amendable --&gt;</c>: a school may replace the body with its own text (the heading stays the trust's).</summary>
    Amendable,

    /// <summary>
    /// <c>&lt;!-- additions: id --&gt;</c>: a point where a school may add sections of its own. It has no text of the trust's,
    /// so a school's text there only adds (union-only): it can never take the trust's away.
    /// </summary>
    Additions,
}

/// <summary>A section of the trust template: its marker up to the next marker.</summary>
public sealed record TemplateSection(string Id, SectionMode Mode, string Heading, IReadOnlyList<string> Body)
{
    /// <summary>Whether a school may write its own text here (its own version of the section, or its own sections at an additions point).</summary>
    public bool SchoolMayWrite => Mode is SectionMode.Amendable or SectionMode.Additions;
}

/// <summary>A placeholder that rendered with no value: the section it is in and its key (<c>control</c> for the control block).</summary>
public sealed record UnsetPlaceholder(string SectionId, string Key);

/// <summary>A rendered body and every placeholder in it that had no value.</summary>
public sealed record RenderedBody(string Markdown, IReadOnlyList<UnsetPlaceholder> Unset);

public sealed record VersionHistoryEntry(string Version, DateOnly Date, string? ApprovedBy, string Summary);

/// <summary>
/// What the document control block shows (000 lines 2-15: organisation, version and date, owner, approval, review, history):
/// the trust's approval of the version and, when the school recorded one, the school's own (000 line 9: Governing Body).
/// </summary>
public sealed record DocumentControl(
    string Organisation, string Trust, string? Version, DateOnly? VersionDate, string? Owner, string? ApprovedBy,
    DateOnly? ApprovalDate, DateOnly? NextReviewDate, IReadOnlyList<VersionHistoryEntry> History,
    string? SchoolApprovedBy = null, DateOnly? SchoolApprovalDate = null);

/// <summary>
/// Renders the trust template for one school: placeholders <c>{{setting.key}}</c>, <c>{{school.name}}</c>,
/// <c>{{trust.name}}</c> take the school's effective values, and amendable sections take the school's
/// own text. Rendering keeps the template's lines, so two schools' documents differ only on the lines
/// that carry a placeholder or an amendment (000 and 003 are one template with two schools' values).
/// </summary>
public static partial class PolicyDocument
{
    /// <summary>The SWGfL-style school template (000's structure), the one every school used before the library.</summary>
    public static string DefaultTemplate => TemplateLibrary.Find(TemplateLibrary.SwgflSchool)!.Markdown;

    public static IReadOnlyList<TemplateSection> Parse(string template)
    {
        var sections = new List<TemplateSection>();
        string? id = null;
        var mode = SectionMode.Kept;
        var lines = new List<string>();
        void Flush()
        {
            if (id is not null)
            {
                var heading = mode == SectionMode.Additions ? "" : lines.FirstOrDefault(l => l.StartsWith('#')) ?? "";
                sections.Add(new TemplateSection(id, mode, heading, lines.ToList()));
            }
        }

        foreach (var line in template.ReplaceLineEndings("\n").Split('\n'))
        {
            if (Marker().Match(line) is { Success: true } marker)
            {
                Flush();
                id = marker.Groups["id"].Value;
                mode = marker.Groups["kind"].Value == "additions" ? SectionMode.Additions
                    : marker.Groups["flag"].Value == "amendable" ? SectionMode.Amendable : SectionMode.Kept;
                lines.Clear();
                continue;
            }

            lines.Add(line);
        }

        Flush();
        return sections;
    }

    /// <summary>Problems with a template a trust wants to save: duplicate sections, unknown placeholders.</summary>
    public static IEnumerable<string> Validate(string template, ISet<string> knownKeys)
    {
        var sections = Parse(template);
        if (sections.Count == 0)
        {
            yield return "The template has no sections (<!-- section: id --> before each heading).";
        }

        foreach (var duplicate in sections.GroupBy(s => s.Id).Where(g => g.Count() > 1))
        {
            yield return $"Section '{duplicate.Key}' appears more than once.";
        }

        var lines = template.ReplaceLineEndings("\n").Split('\n');
        foreach (var line in lines.Where(l => l.TrimStart().StartsWith("<!--", StringComparison.Ordinal) && LooksLikeMarker().IsMatch(l) && !Marker().IsMatch(l)))
        {
            yield return $"'{line.Trim()}' is not a marker: write <!-- section: id -->, <!-- section: id amendable --> or <!-- additions: id --> (id in lower case, digits and '-').";
        }

        if (sections.Count > 0 && lines.SkipWhile(l => l.Trim().Length == 0).FirstOrDefault() is { } first && !Marker().IsMatch(first))
        {
            yield return "The template must start with a marker: text before the first one belongs to no section.";
        }

        foreach (var additions in sections.Where(s => s.Mode == SectionMode.Additions && s.Body.Any(l => l.Trim().Length > 0)))
        {
            yield return $"The additions point '{additions.Id}' holds text: put the trust's text in a section, a school's goes at the point.";
        }

        foreach (Match match in Placeholder().Matches(template))
        {
            var key = match.Groups["key"].Value;
            if (key is not ("school.name" or "trust.name") && !knownKeys.Contains(key))
            {
                yield return $"Unknown placeholder {{{{{key}}}}}.";
            }
        }
    }

    /// <summary>
    /// The body: every section with placeholders filled, amendable sections replaced by the school's text where it has
    /// one, and the school's own sections at the additions points. A line with an optional placeholder <c>{{key?}}</c>
    /// is left out when that value is unset (the school's policy does not name it); any other unset placeholder renders
    /// as "[not set]" and is listed in <see cref="RenderedBody.Unset"/>.
    /// </summary>
    public static RenderedBody RenderBody(string template, string schoolName, string trustName, IReadOnlyDictionary<string, JsonNode?> values, IReadOnlyDictionary<string, string> amendments)
    {
        var builder = new StringBuilder();
        var unset = new List<UnsetPlaceholder>();
        foreach (var section in Parse(template))
        {
            var own = section.SchoolMayWrite && amendments.TryGetValue(section.Id, out var text) ? text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n') : null;
            IReadOnlyList<string> lines = (section.Mode, own) switch
            {
                (SectionMode.Amendable, not null) => [section.Heading, "", .. own, ""],
                (SectionMode.Additions, not null) => [.. own, ""],
                _ => section.Body,
            };
            foreach (var line in lines)
            {
                var placeholders = Placeholder().Matches(line).Select(m => (Key: m.Groups["key"].Value, Optional: m.Groups["optional"].Success)).ToList();
                if (placeholders.Any(p => p.Optional && IsUnset(p.Key, values)))
                {
                    continue;
                }

                unset.AddRange(placeholders.Where(p => IsUnset(p.Key, values)).Select(p => new UnsetPlaceholder(section.Id, p.Key)));
                builder.Append(Fill(line, schoolName, trustName, values)).Append('\n');
            }
        }

        return new RenderedBody(builder.ToString(), unset.Distinct().ToList());
    }

    /// <summary>Nothing to print: no value, blank text, or an empty list (an e-safety team of nobody prints nothing).</summary>
    private static bool IsUnset(string key, IReadOnlyDictionary<string, JsonNode?> values) =>
        key is not ("school.name" or "trust.name") && values.TryGetValue(key, out var value) && value switch
        {
            null => true,
            JsonArray list => list.Count == 0,
            JsonValue v when v.TryGetValue<string>(out var text) => string.IsNullOrWhiteSpace(text),
            _ => false,
        };

    /// <summary>
    /// The whole document as Markdown: every value escaped as text, and the trust's and school's own Markdown
    /// with raw HTML and links other than http, https and mailto made literal, so the answer is safe
    /// wherever it is rendered next.
    /// </summary>
    public static string RenderMarkdown(DocumentControl control, string body)
    {
        var b = new StringBuilder();
        b.Append("# ").Append(Text(control.Organisation)).Append(" Social Media Policy\n\n");
        b.Append("| Document control | |\n|---|---|\n");
        b.Append("| Organisation | ").Append(Text(control.Organisation)).Append(" (").Append(Text(control.Trust)).Append(") |\n");
        b.Append("| Version and date | ").Append(control.Version is null ? "Not yet published" : Text($"{control.Version}, {Date(control.VersionDate)}")).Append(" |\n");
        b.Append("| Owner | ").Append(Text(control.Owner ?? NotSet)).Append(" |\n");
        b.Append("| Approved by | ").Append(Text(control.ApprovedBy ?? "[not yet approved]")).Append(" |\n");
        b.Append("| Approval date | ").Append(Text(control.ApprovalDate is null ? "[not yet approved]" : Date(control.ApprovalDate))).Append(" |\n");
        if (control.SchoolApprovedBy is not null)
        {
            b.Append("| Approved by the school | ").Append(Text(control.SchoolApprovedBy)).Append(" |\n");
            b.Append("| School approval date | ").Append(Text(Date(control.SchoolApprovalDate))).Append(" |\n");
        }

        b.Append("| Next review date | ").Append(Text(Date(control.NextReviewDate))).Append(" |\n\n");
        b.Append("## Document version history\n\n| Version | Date | Approved by | Summary of changes |\n|---|---|---|---|\n");
        foreach (var entry in control.History)
        {
            b.Append("| ").Append(Text(entry.Version)).Append(" | ").Append(Text(Date(entry.Date))).Append(" | ").Append(Text(entry.ApprovedBy ?? "")).Append(" | ").Append(Text(entry.Summary)).Append(" |\n");
        }

        b.Append('\n').Append(body);
        return SafeMarkdown.Neutralise(b.ToString());
    }

    /// <summary>
    /// Everything inside the page's one style block; <see cref="ContentSecurityPolicy"/> allows exactly this text by
    /// its hash, taken over the line breaks an HTML parser leaves (LF), whatever the checkout's line endings.
    /// </summary>
    private static readonly string PrintStyles = """

        @page { size: A4; margin: 20mm 18mm; }
        body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45; color: #111; max-width: 180mm; margin: auto; }
        h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 1.4em; page-break-after: avoid; }
        table { border-collapse: collapse; width: 100%; margin: 0.6em 0; page-break-inside: avoid; }
        th, td { border: 1px solid #888; padding: 4px 6px; text-align: left; vertical-align: top; }
        li { margin: 0.15em 0; }
        @media print { a { color: inherit; text-decoration: none; } }

        """.ReplaceLineEndings("\n");

    /// <summary>
    /// For the print-ready page: no script at all, only the page's own style block, images over http(s)
    /// (a school's amended section may show one), no base, form or framing.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(PrintStyles)))}'; img-src http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Print-ready HTML: one self-contained page with A4 print styles.</summary>
    public static string RenderHtml(string title, string markdown) =>
        $"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <title>{WebUtility.HtmlEncode(title)}</title>
        <style>{PrintStyles}</style>
        </head>
        <body>
        {SafeMarkdown.ToHtml(markdown)}
        </body>
        </html>
        """;

    public static string Format(string key, JsonNode? value, string schoolName) => (key, value) switch
    {
        (_, null) => NotSet,
        ("journalist.rule", _) => value.GetValue<string>() == "media_policy"
            ? $"follow the {schoolName} media policy before responding."
            : "communicate with the Headteacher and chair of governors before responding.",
        (_, JsonObject person) => Person(person),
        (_, JsonArray list) when list.All(i => i is JsonObject) => People(list.Cast<JsonObject>().ToList()),
        (_, JsonArray list) => string.Join(", ", list.Select(i => i is JsonObject o ? $"{o["name"]} ({o["start"]} to {o["end"]})" : Scalar(key, i))),
        _ => Scalar(key, value),
    };

    private static string Scalar(string key, JsonNode? value)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Date(date);
        }

        return key.Contains("rule", StringComparison.Ordinal) || key.StartsWith("training.", StringComparison.Ordinal) ? text.Replace('_', ' ') : text;
    }

    private static string Person(JsonObject person) =>
        person["jobTitle"] is { } title ? $"{person["name"]}, {title}" : person["name"]!.GetValue<string>();

    /// <summary>"A, B and C", or with job titles "A, title; B, title and C, title" (003 line 73).</summary>
    private static string People(IReadOnlyList<JsonObject> people)
    {
        var names = people.Select(Person).ToList();
        var separator = people.Any(p => p["jobTitle"] is not null) ? "; " : ", ";
        return names.Count <= 1 ? string.Concat(names) : string.Join(separator, names.Take(names.Count - 1)) + " and " + names[^1];
    }

    /// <summary>Every placeholder takes its value as literal text: a name or a setting never becomes Markdown.</summary>
    private static string Fill(string line, string schoolName, string trustName, IReadOnlyDictionary<string, JsonNode?> values) =>
        Placeholder().Replace(line, m => m.Groups["key"].Value switch
        {
            "school.name" => SafeMarkdown.Escape(schoolName),
            "trust.name" => SafeMarkdown.Escape(trustName),
            var key => values.TryGetValue(key, out var value) ? SafeMarkdown.Escape(Format(key, value, schoolName)) : m.Value,
        });

    private static string Date(DateOnly? date) => date is { } d ? Written.Date(d) : NotSet;

    private const string NotSet = "[not set]";

    /// <summary>A value in the document control block: literal text, which also escapes the table's "|".</summary>
    private static string Text(string text) => SafeMarkdown.Escape(text);

    [GeneratedRegex(@"^<!--\s*(?:(?<kind>section):\s*(?<id>[a-z0-9-]+)(?:\s+(?<flag>amendable))?|(?<kind>additions):\s*(?<id>[a-z0-9-]+))\s*-->\s*$")]
    private static partial Regex Marker();

    /// <summary>A comment that was meant as a marker (so a typo is refused rather than rendered as text).</summary>
    [GeneratedRegex(@"^\s*<!--\s*(section|additions)\b")]
    private static partial Regex LooksLikeMarker();

    [GeneratedRegex(@"\{\{(?<key>[a-z0-9_.]+)(?<optional>\?)?\}\}")]
    private static partial Regex Placeholder();
}
