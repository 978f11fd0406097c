using System.Globalization;
using System.Text.Json.Nodes;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Settings;

/// <summary>How a setting reads on a page: its name from its key, and its rule in words.</summary>
public static class SettingText
{
    /// <summary><c>sla.response_hours</c> reads "Response hours", under the group "SLA".</summary>
    public static string Name(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var name = (dot < 0 ? key : key[(dot + 1)..]).Replace('_', ' ').Replace('.', ' ');
        return name.Length == 0 ? key : char.ToUpper(name[0], CultureInfo.InvariantCulture) + name[1..];
    }

    public static string Group(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var group = dot < 0 ? "General" : key[..dot].Replace('_', ' ');
        return group switch
        {
            "sla" => "SLA",
            _ => char.ToUpper(group[0], CultureInfo.InvariantCulture) + group[1..],
        };
    }

    /// <summary>What the trust's rule lets a school do with this setting, with the trust's value (DESIGN.md, "Settings").</summary>
    public static string Rule(string? rule, string? stricterIs, JsonNode? trustValue)
    {
        var trust = JsonValues.Display(trustValue);
        return rule switch
        {
            "locked" => $"Locked: the trust sets this for every school ({trust}).",
            "free" => "Free: the school may set any valid value.",
            "tighten_only" when trustValue is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False =>
                $"Tighten only: the school may keep the trust's value ({trust}) or choose {(stricterIs == "higher" ? "Yes" : "No")}, the stricter answer.",
            "tighten_only" when stricterIs == "lower" && trustValue?.GetValueKind() == System.Text.Json.JsonValueKind.Number => $"Tighten only: the school may set the trust's value ({trust}) or lower, never higher.",
            "tighten_only" when stricterIs == "higher" && trustValue?.GetValueKind() == System.Text.Json.JsonValueKind.Number => $"Tighten only: the school may set the trust's value ({trust}) or higher, never lower.",
            "tighten_only" => $"Tighten only: the school may only make it stricter than the trust's value ({trust}).",
            "union_only" => $"Union only: the school may add to the trust's list ({trust}), never remove from it.",
            _ => $"Rule: {rule}.",
        };
    }
}
