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
    /// GOV.UK error summary links every message to a field on the page. Each message names its field first
    /// (<paramref name="labelOf"/> the form's label for the API's field name, <see cref="FieldWords"/> by default): the
    /// API's reasons ("Required.") name no field, and a summary of several would not say which is which.
    /// </summary>
    public static List<(string Field, string Message)> ForFields(IncidentsProblem problem, Func<string, string?> fieldOf, string fallbackField,
        Func<string, string?>? labelOf = null) =>
        ForFields(FieldErrors(problem), Summary(problem), fieldOf, fallbackField, labelOf);

    /// <inheritdoc cref="ForFields(IncidentsProblem, Func{string, string?}, string, Func{string, string?})"/>
    public static List<(string Field, string Message)> ForFields(AccountsProblem problem, Func<string, string?> fieldOf, string fallbackField,
        Func<string, string?>? labelOf = null) =>
        ForFields(FieldErrors(problem), Summary(problem), fieldOf, fallbackField, labelOf);

    /// <inheritdoc cref="ForFields(IncidentsProblem, Func{string, string?}, string, Func{string, string?})"/>
    public static List<(string Field, string Message)> ForFields(PolicyProblem problem, Func<string, string?> fieldOf, string fallbackField,
        Func<string, string?>? labelOf = null) =>
        ForFields(FieldErrors(problem), Summary(problem), fieldOf, fallbackField, labelOf);

    /// <summary>
    /// An API field name as words, for a message that has no label of the form's: the last part of its path, without an
    /// index ("cyberbullying.fullUrls[2]" reads "Full urls"); null for a name with no words (the body as a whole).
    /// </summary>
    public static string? FieldWords(string apiField)
    {
        var last = apiField[(apiField.LastIndexOf('.') + 1)..];
        if (last.IndexOf('[') is >= 0 and var bracket)
        {
            last = last[..bracket];
        }

        last = last.TrimStart('$');
        if (last.Length == 0)
        {
            return null;
        }

        var words = string.Concat(last.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static List<(string Field, string Message)> ForFields(
        IReadOnlyDictionary<string, IReadOnlyList<string>> fieldErrors, string summary, Func<string, string?> fieldOf, string fallbackField,
        Func<string, string?>? labelOf)
    {
        var errors = new List<(string Field, string Message)>();
        foreach (var (name, reasons) in fieldErrors)
        {
            var field = fieldOf(name) ?? fallbackField;
            var label = labelOf?.Invoke(name) ?? FieldWords(name);
            errors.AddRange(reasons.Select(r => (field, label is null ? r : $"{label}: {r}")));
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
