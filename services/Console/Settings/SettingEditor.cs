using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Settings;

/// <summary>
/// One setting's editor, by its catalogue type: what the form fields hold and the JSON value a posted form means.
/// The console does not validate values itself: whatever the person typed goes to the API, whose 400 or 422 names
/// the field, so the rules live once, in Policy.
/// </summary>
public sealed class SettingEditor
{
    public required CatalogueSettingResponse Setting { get; init; }

    /// <summary>The value the fields show: the saved one, or what the person posted.</summary>
    public JsonNode? Value { get; init; }

    /// <summary>Reasons the API gave for the field, shown next to it.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The label's text; "New value" on the edit pages, since the heading already names the setting.</summary>
    public string Label { get; init; } = "New value";

    public string Type => Setting.Type ?? "text";

    public bool IsList => Type is "text_list" or "role_list" or "weekday_list" or "date_list" or "person_list" or "term_list";

    public string Hint => Type switch
    {
        "integer" => Setting.Min is { } min && Setting.Max is { } max ? $"A whole number from {min} to {max}." : "A whole number.",
        "date" => "For example, 2027-03-31.",
        "time" => "24-hour clock, for example 17:00.",
        "person_list" => "One person a line: name, then a comma and their job title (optional).",
        "term_list" => "One term a line: name, first day, last day; for example: Autumn 2026, 2026-09-03, 2026-12-18.",
        "weekday_list" => "One day a line, for example monday.",
        "date_list" => "One date a line, for example 2026-12-21.",
        "role_list" => "One role a line, for example marketing_officer.",
        _ when IsList => "One item a line.",
        _ => Setting.Description ?? "",
    };

    public string Text => Value switch
    {
        null => "",
        JsonArray items => string.Join('\n', items.Select(Line)),
        JsonObject person when Type == "person" => person["name"]?.GetValue<string>() ?? "",
        _ when Value.GetValueKind() == System.Text.Json.JsonValueKind.String => Value.GetValue<string>(),
        _ => Value.ToJsonString(),
    };

    public string JobTitle => Value is JsonObject o && o["jobTitle"] is { } t ? t.GetValue<string>() : "";

    private string Line(JsonNode? item) => item switch
    {
        null => "",
        JsonObject o when Type == "term_list" => $"{o["name"]}, {o["start"]}, {o["end"]}",
        JsonObject o => o["jobTitle"] is { } title ? $"{o["name"]}, {title}" : $"{o["name"]}",
        _ => JsonValues.Display(item),
    };

    /// <summary>
    /// The value a posted form means for this setting. A person's roster id (<c>staffId</c>) has no field: it is kept
    /// from <paramref name="saved"/> for the same name, so editing a job title does not unlink the person.
    /// </summary>
    public static JsonNode? Read(CatalogueSettingResponse setting, IFormCollection form, JsonNode? saved)
    {
        var type = setting.Type ?? "text";
        var text = form["value"].ToString().Trim();
        switch (type)
        {
            case "integer":
                return text.Length == 0 ? null
                    : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(text);
            case "boolean":
                return text switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => null };
            case "person":
                var name = text;
                var title = form["jobTitle"].ToString().Trim();
                return name.Length == 0 && title.Length == 0 ? null : Person(name, title, saved is JsonObject o ? [o] : []);
            case "person_list":
                var known = saved is JsonArray people ? people.OfType<JsonObject>().ToList() : [];
                return new JsonArray([.. Lines(text).Select(line =>
                {
                    var comma = line.IndexOf(',', StringComparison.Ordinal);
                    return (JsonNode)Person(comma < 0 ? line : line[..comma].Trim(), comma < 0 ? "" : line[(comma + 1)..].Trim(), known);
                })]);
            case "term_list":
                return new JsonArray([.. Lines(text).Select(line =>
                {
                    var parts = line.Split(',', StringSplitOptions.TrimEntries);
                    var term = new JsonObject { ["name"] = parts[0] };
                    if (parts.Length > 1) term["start"] = parts[1];
                    if (parts.Length > 2) term["end"] = parts[2];
                    return (JsonNode)term;
                })]);
            case var _ when type.EndsWith("_list", StringComparison.Ordinal):
                return new JsonArray([.. Lines(text).Select(line => (JsonNode)JsonValue.Create(line))]);
            default:
                return text.Length == 0 ? null : JsonValue.Create(text);
        }
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static JsonObject Person(string name, string jobTitle, IReadOnlyList<JsonObject> known)
    {
        var person = new JsonObject { ["name"] = name };
        if (jobTitle.Length > 0)
        {
            person["jobTitle"] = jobTitle;
        }

        if (known.FirstOrDefault(k => string.Equals(k["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase))?["staffId"] is { } staffId)
        {
            person["staffId"] = staffId.GetValue<string>();
        }

        return person;
    }
}
