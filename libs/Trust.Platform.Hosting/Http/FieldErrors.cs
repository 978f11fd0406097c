using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Trust.Platform.Hosting.Http;

/// <summary>Collects field-level reasons for a 400/422 problem details answer (RFC 9457 with an <c>errors</c> map).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
        {
            _errors[field] = reasons = [];
        }

        reasons.Add(reason);
        return this;
    }

    public FieldErrors Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }

        return this;
    }

    public FieldErrors Optional(string field, string? value, int maxLength = 200)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }

        return this;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>400 problem details with the field errors.</summary>
    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(ToDictionary(), detail: Detail, title: "The request is not valid");

    /// <summary>422 problem details with the field errors: well-formed input that a rule of the school's policy refuses.</summary>
    public ProblemHttpResult ToUnprocessable(string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = Detail,
        });

    public string Detail => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
