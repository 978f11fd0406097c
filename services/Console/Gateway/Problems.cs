using Microsoft.Kiota.Abstractions.Serialization;
using PolicyProblem = Trust.Platform.Client.Policy.Models.ProblemDetails;

namespace Trust.Platform.Console.Gateway;

/// <summary>
/// Reads an RFC 9457 problem the typed client raised into what a page shows: the reasons per field (the
/// <c>errors</c> map) and the detail or title otherwise.
/// </summary>
public static class Problems
{
    /// <summary>
    /// The contract types <c>errors</c> as an open map (field to reasons), so the generated client keeps it as untyped
    /// additional data; this reads it back.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors(PolicyProblem problem) =>
        (problem.Errors?.AdditionalData ?? new Dictionary<string, object>())
            .ToDictionary(e => e.Key, e => Reasons(e.Value), StringComparer.Ordinal);

    /// <summary>
    /// A publish refused because school overrides conflict with the baseline (409) lists them in a <c>conflicts</c>
    /// extension the contract does not describe, so the client keeps it as additional data: "School: key: reason".
    /// </summary>
    public static IReadOnlyList<string> Conflicts(PolicyProblem problem) =>
        problem.AdditionalData.TryGetValue("conflicts", out var value) && value is UntypedArray conflicts
            ? [.. conflicts.GetValue().OfType<UntypedObject>().Select(c =>
            {
                var fields = c.GetValue();
                string Text(string name) => fields.TryGetValue(name, out var v) ? JsonValues.Display(v) : "";
                return $"{Text("schoolName")}: {Text("key")}: {Text("reason")}";
            })]
            : [];

    public static string Summary(PolicyProblem problem) =>
        problem.Detail is { Length: > 0 } detail ? detail : problem.Title ?? $"The service refused the request ({problem.ResponseStatusCode}).";

    private static IReadOnlyList<string> Reasons(object? value) => value switch
    {
        null => [],
        string s => [s],
        UntypedArray array => [.. array.GetValue().SelectMany(Reasons)],
        UntypedString s => s.GetValue() is { } text ? [text] : [],
        UntypedNode node => [JsonValues.Display(node)],
        IEnumerable<object> items => [.. items.SelectMany(Reasons)],
        _ => [value.ToString() ?? ""],
    };
}
