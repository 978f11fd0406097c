using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The one way a handler answers with a problem (RFC 9457). Every problem is a <see cref="ProblemHttpResult"/>,
/// so a handler's result union reads <c>Results&lt;Ok&lt;T&gt;, NotFound, ProblemHttpResult&gt;</c>, and the
/// same situation reads the same in every service:
/// <list type="bullet">
/// <item>400 <see cref="Invalid"/>: the request is malformed (a field, a reason), decided without the database;</item>
/// <item>409 <see cref="WrongState"/>: the resource is in a state where the action does not apply (closed, already decided);</item>
/// <item>409 <see cref="Conflict"/>: the change would clash with another resource (a duplicate);</item>
/// <item>412/428 <see cref="ETags"/>: a stale or missing <c>If-Match</c>;</item>
/// <item>422 <see cref="RuleRefused"/>: well-formed, but a rule of the policy refuses it, named in <c>rule</c>.</item>
/// </list>
/// A record the caller may not see is a plain 404 (<c>TypedResults.NotFound()</c>): the status-code pages turn it
/// into a problem body, and it never says whether the record exists.
/// </summary>
public static class ApiProblem
{
    public const string StateExtension = "state";
    public const string RuleExtension = "rule";

    public static ProblemHttpResult Invalid(FieldErrors errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = errors.Detail,
        });

    public static ProblemHttpResult Invalid(string field, string reason) => Invalid(new FieldErrors().Add(field, reason));

    /// <summary>409: "the account is closed", "the application is already decided"; <paramref name="state"/> is the current state's API name.</summary>
    public static ProblemHttpResult WrongState(string title, string state, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { [StateExtension] = state });

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    /// <summary>422: the policy's <paramref name="rule"/> refuses the request; <paramref name="errors"/> say which field and why.</summary>
    public static ProblemHttpResult RuleRefused(string rule, string title, FieldErrors errors, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = errors.Detail,
            Extensions = { [RuleExtension] = rule },
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>403 for an authenticated caller whose role is not the one this step or action needs, with the rule that says so.</summary>
    public static ProblemHttpResult Forbidden(string rule, string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { [RuleExtension] = rule });
}
