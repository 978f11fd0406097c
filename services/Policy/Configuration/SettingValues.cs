using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Policy.Configuration;

/// <summary>Validates and normalises setting values (JSON) by the setting's type.</summary>
public static class SettingValues
{
    private static readonly Dictionary<string, string?> DefaultJson = SettingCatalogue.All.ToDictionary(
        d => d.Key, d => d.Default is null ? null : JsonSerializer.Serialize(d.Default), StringComparer.Ordinal);

    /// <summary>A fresh node each call (JsonNode is mutable and not thread-safe), parsed from the default serialised once.</summary>
    public static JsonNode? DefaultOf(SettingDefinition definition) =>
        DefaultJson.TryGetValue(definition.Key, out var json) && json is not null ? JsonNode.Parse(json) : null;

    /// <summary>Returns the normalised value, or the reason it is not valid for the setting.</summary>
    public static (JsonNode? Value, string? Error) Normalise(SettingDefinition definition, JsonNode? value)
    {
        if (value is null)
        {
            return definition.Type is SettingType.Person or SettingType.Text or SettingType.Date
                ? (null, null)
                : (null, "A value is required.");
        }

        try
        {
            return definition.Type switch
            {
                SettingType.Integer => Integer(definition, value),
                SettingType.Boolean => value is JsonValue v && v.TryGetValue<bool>(out var b) ? (JsonValue.Create(b), null) : (null, "Must be true or false."),
                SettingType.Text => Text(value, 500),
                SettingType.Choice => value is JsonValue c && c.TryGetValue<string>(out var s) && definition.Choices!.Contains(s)
                    ? (JsonValue.Create(s), null)
                    : (null, $"Must be one of: {string.Join(", ", definition.Choices!)}."),
                SettingType.Date => Date(value),
                SettingType.Time => value is JsonValue t && t.TryGetValue<string>(out var ts) && TimeOnly.TryParseExact(ts, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                    ? (JsonValue.Create(time.ToString("HH:mm", CultureInfo.InvariantCulture)), null)
                    : (null, "Must be a time as HH:mm."),
                SettingType.Person => Person(value),
                SettingType.PersonList => List(value, 50, Person, distinctBy: ItemKey),
                SettingType.TextList => List(value, 200, v => Text(v, 200), distinctBy: n => n!.GetValue<string>().ToUpperInvariant()),
                SettingType.RoleList => List(value, 10, Role, distinctBy: n => n!.GetValue<string>()),
                SettingType.WeekdayList => List(value, 7, Weekday, distinctBy: n => n!.GetValue<string>()),
                SettingType.DateList => List(value, 366, Date, distinctBy: n => n!.GetValue<string>(), sortBy: n => n!.GetValue<string>()),
                SettingType.TermList => Terms(value),
                _ => (null, "Unsupported type."),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
        {
            return (null, $"Not a valid {Describe(definition.Type)}.");
        }
    }

    public static string Describe(SettingType type) => type switch
    {
        SettingType.PersonList => "list of people ({name, jobTitle} or {memberId}, members of the trust)",
        SettingType.Person => "person ({name, jobTitle} or {memberId}, a member of the trust)",
        SettingType.TermList => "list of terms ({name, start, end})",
        _ => Trust.Platform.Data.Tenancy.TenantDbContext.SnakeCase(type.ToString()).Replace('_', ' '),
    };

    /// <summary>The order used by tighten-only rules: numbers as they are, false before true, choices in their declared (strictest first) order.</summary>
    public static double Rank(SettingDefinition definition, JsonNode value) => definition.Type switch
    {
        SettingType.Integer => value.GetValue<int>(),
        SettingType.Boolean => value.GetValue<bool>() ? 1 : 0,
        SettingType.Choice => definition.Choices!.ToList().IndexOf(value.GetValue<string>()),
        _ => throw new InvalidOperationException($"{definition.Key} has no order."),
    };

    /// <summary>List items compared case-insensitively by their JSON text (blocked sites, dates, people by name).</summary>
    public static string ItemKey(JsonNode? item) => item switch
    {
        JsonObject o when o["memberId"] is { } member => "MEMBER:" + member.GetValue<string>().ToUpperInvariant(),
        JsonObject o when o["name"] is { } name => name.GetValue<string>().ToUpperInvariant(),
        null => "",
        _ => item.ToJsonString().ToUpperInvariant(),
    };

    private static (JsonNode?, string?) Integer(SettingDefinition d, JsonNode value)
    {
        if (value is not JsonValue v || !v.TryGetValue<int>(out var i))
        {
            return (null, "Must be a whole number.");
        }

        if ((d.Min is { } min && i < min) || (d.Max is { } max && i > max))
        {
            return (null, $"Must be between {d.Min} and {d.Max}.");
        }

        return (JsonValue.Create(i), null);
    }

    private static (JsonNode?, string?) Text(JsonNode value, int max)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s))
        {
            return (null, "Must be non-empty text.");
        }

        s = s.Trim();
        return s.Length > max ? (null, $"At most {max} characters.") : (JsonValue.Create(s), null);
    }

    private static (JsonNode?, string?) Date(JsonNode value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? (JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
            : (null, "Must be a date as yyyy-MM-dd.");

    private static (JsonNode?, string?) Role(JsonNode value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) && Roles.All.Contains(s) && s != Roles.PlatformOperator
            ? (JsonValue.Create(s), null)
            : (null, $"Must be a role: {string.Join(", ", Roles.All.Where(r => r != Roles.PlatformOperator))}.");

    private static (JsonNode?, string?) Weekday(JsonNode value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) && Enum.TryParse<DayOfWeek>(s, true, out var day) && s.All(char.IsAsciiLetterLower)
            ? (JsonValue.Create(day.ToString().ToLowerInvariant()), null)
            : (null, "Must be a lower-case weekday, e.g. monday.");

    private static (JsonNode?, string?) Person(JsonNode? value)
    {
        if (value is not JsonObject o || o.Any(p => p.Key is not ("name" or "jobTitle" or "staffId" or "memberId")))
        {
            return (null, "Must be {\"name\": ..., \"jobTitle\": ...} or {\"memberId\": ...} (jobTitle and staffId optional).");
        }

        var person = new JsonObject();
        if (o["memberId"] is { } member)
        {
            // A member of the trust's directory: their name and roster id are theirs (NamedMembers fills them), never typed here.
            if (member is not JsonValue mv || !mv.TryGetValue<string>(out var mid) || !Guid.TryParse(mid, out var memberId))
            {
                return (null, "memberId: must be a member id (uuid).");
            }

            person["memberId"] = memberId.ToString();
        }

        if (o["name"] is { } n)
        {
            var (name, error) = Text(n, 200);
            if (error is not null)
            {
                return (null, "name: " + error);
            }

            person["name"] = name;
        }
        else if (person["memberId"] is null)
        {
            return (null, "name: name is required (or memberId, a member of the trust).");
        }

        if (o["jobTitle"] is { } title)
        {
            var (jobTitle, titleError) = Text(title, 200);
            if (titleError is not null)
            {
                return (null, "jobTitle: " + titleError);
            }

            person["jobTitle"] = jobTitle;
        }

        if (o["staffId"] is { } staff)
        {
            if (staff is not JsonValue sv || !sv.TryGetValue<string>(out var id) || !Guid.TryParse(id, out var staffId))
            {
                return (null, "staffId: must be a roster id (uuid).");
            }

            person["staffId"] = staffId.ToString();
        }

        return (person, null);
    }

    private static (JsonNode?, string?) List(
        JsonNode value, int max, Func<JsonNode, (JsonNode?, string?)> item, Func<JsonNode?, string> distinctBy, Func<JsonNode?, string>? sortBy = null)
    {
        if (value is not JsonArray array)
        {
            return (null, "Must be a list.");
        }

        if (array.Count > max)
        {
            return (null, $"At most {max} items.");
        }

        var result = new List<JsonNode?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is null)
            {
                return (null, $"Item {i + 1}: must not be null.");
            }

            var (normalised, error) = item(array[i]!);
            if (error is not null)
            {
                return (null, $"Item {i + 1}: {error}");
            }

            if (seen.Add(distinctBy(normalised)))
            {
                result.Add(normalised);
            }
        }

        if (sortBy is not null)
        {
            result = [.. result.OrderBy(sortBy, StringComparer.Ordinal)];
        }

        return (new JsonArray([.. result]), null);
    }

    private static (JsonNode?, string?) Terms(JsonNode value)
    {
        if (value is not JsonArray array)
        {
            return (null, "Must be a list of terms.");
        }

        var terms = new List<(string Name, DateOnly Start, DateOnly End)>();
        foreach (var node in array)
        {
            if (node is not JsonObject o || o.Any(p => p.Key is not ("name" or "start" or "end")) ||
                Text(o["name"] ?? JsonValue.Create(""), 100) is not ({ } name, null) ||
                Date(o["start"] ?? JsonValue.Create("")) is not ({ } start, null) ||
                Date(o["end"] ?? JsonValue.Create("")) is not ({ } end, null))
            {
                return (null, $"Term {terms.Count + 1}: must be {{\"name\", \"start\", \"end\"}} with dates as yyyy-MM-dd.");
            }

            var s = DateOnly.ParseExact(start.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var e = DateOnly.ParseExact(end.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (e < s)
            {
                return (null, $"Term {terms.Count + 1}: ends before it starts.");
            }

            terms.Add((name.GetValue<string>(), s, e));
        }

        terms.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < terms.Count; i++)
        {
            if (terms[i].Start <= terms[i - 1].End)
            {
                return (null, $"Terms '{terms[i - 1].Name}' and '{terms[i].Name}' overlap.");
            }
        }

        return (new JsonArray([.. terms.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["start"] = t.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["end"] = t.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        })]), null);
    }
}
