using Microsoft.Kiota.Abstractions.Serialization;
using AccountsProblem = Trust.Platform.Client.Accounts.Models.ProblemDetails;
using IncidentsProblem = Trust.Platform.Client.Incidents.Models.ProblemDetails;
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
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors(PolicyProblem problem) => FieldErrors(problem.Errors?.AdditionalData);

    /// <inheritdoc cref="FieldErrors(PolicyProblem)"/>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors(IncidentsProblem problem) => FieldErrors(problem.Errors?.AdditionalData);

    /// <inheritdoc cref="FieldErrors(PolicyProblem)"/>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors(AccountsProblem problem) => FieldErrors(problem.Errors?.AdditionalData);

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors(IDictionary<string, object>? errors) =>
        (errors ?? new Dictionary<string, object>()).ToDictionary(e => e.Key, e => Reasons(e.Value), StringComparer.Ordinal);

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

    public static string Summary(PolicyProblem problem) => Summary(problem.Detail, problem.Title, problem.ResponseStatusCode);

    public static string Summary(IncidentsProblem problem) => Summary(problem.Detail, problem.Title, problem.ResponseStatusCode);

    public static string Summary(AccountsProblem problem) => Summary(problem.Detail, problem.Title, problem.ResponseStatusCode);

    private static string Summary(string? detail, string? title, int status) =>
        detail is { Length: > 0 } ? detail : title ?? $"The service refused the request ({status}).";

    /// <summary>
    /// A refusal of a form the page posts: each reason under the form field <paramref name="fieldOf"/> gives for the
    /// API's field name (null when the form has no such field), the rest under <paramref name="fallbackField"/>, so a
    /// GOV.UK error summary links every message to a field on the page.
    /// </summary>
    public static List<(string Field, string Message)> ForFields(IncidentsProblem problem, Func<string, string?> fieldOf, string fallbackField) =>
        ForFields(FieldErrors(problem), Summary(problem), fieldOf, fallbackField);

    /// <inheritdoc cref="ForFields(IncidentsProblem, Func{string, string?}, string)"/>
    public static List<(string Field, string Message)> ForFields(AccountsProblem problem, Func<string, string?> fieldOf, string fallbackField) =>
        ForFields(FieldErrors(problem), Summary(problem), fieldOf, fallbackField);

    /// <inheritdoc cref="ForFields(IncidentsProblem, Func{string, string?}, string)"/>
    public static List<(string Field, string Message)> ForFields(PolicyProblem problem, Func<string, string?> fieldOf, string fallbackField) =>
        ForFields(FieldErrors(problem), Summary(problem), fieldOf, fallbackField);

    private static List<(string Field, string Message)> ForFields(
        IReadOnlyDictionary<string, IReadOnlyList<string>> fieldErrors, string summary, Func<string, string?> fieldOf, string fallbackField)
    {
        var errors = new List<(string Field, string Message)>();
        foreach (var (name, reasons) in fieldErrors)
        {
            var field = fieldOf(name) ?? fallbackField;
            errors.AddRange(reasons.Select(r => (field, r)));
        }

        if (errors.Count == 0)
        {
            errors.Add((fallbackField, summary));
        }

        return errors;
    }

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
