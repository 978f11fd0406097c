using System.Text.Json.Nodes;

namespace Trust.Platform.Policy.Documents;

/// <summary>A value a school's document would print as "[not set]": the section it sits in and the setting it needs.</summary>
/// <param name="Section">The template section's id, or <c>document-control</c> for the control block.</param>
/// <param name="Placeholder">The setting key the placeholder or control line reads.</param>
public sealed record UnsetValue(string Section, string Placeholder);

/// <summary>
/// Finds what a document would render unset, from the same inputs the renderer uses: a placeholder whose setting has no
/// value (null, blank text or an empty list, which print as "[not set]" or nothing), in the template's section or in the
/// school's own text for an amended section.
/// </summary>
public static class UnsetValues
{
    public const string ControlSection = "document-control";

    public static IReadOnlyList<UnsetValue> Find(string template, IReadOnlyDictionary<string, JsonNode?> values, IReadOnlyDictionary<string, string> amendments)
    {
        var unset = new List<UnsetValue>();
        foreach (var section in PolicyDocument.Parse(template))
        {
            var text = section.Amendable && amendments.TryGetValue(section.Id, out var amended)
                ? amended
                : string.Join('\n', section.Body);
            foreach (var key in Placeholders(text))
            {
                if (key is not ("school.name" or "trust.name") && values.ContainsKey(key) && IsUnset(values[key]))
                {
                    unset.Add(new UnsetValue(section.Id, key));
                }
            }
        }

        return unset;
    }

    /// <summary>No value to print: null, blank text, or an empty list (an e-safety team of nobody).</summary>
    public static bool IsUnset(JsonNode? value) => value switch
    {
        null => true,
        JsonArray list => list.Count == 0,
        JsonValue v when v.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s),
        _ => false,
    };

    private static IEnumerable<string> Placeholders(string text) =>
        PolicyDocument.Placeholder().Matches(text).Select(m => m.Groups["key"].Value).Distinct(StringComparer.Ordinal);
}
