using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// Turns every failure into RFC 9457 problem details: binding and JSON errors name the field,
/// database conflicts become 409/412, anything unexpected is a 500 without internals in any environment.
/// </summary>
public sealed partial class PlatformExceptionHandler(IProblemDetailsService problems, ILogger<PlatformExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException json => FromJson(json),
            TenantMismatchException => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found" },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "The resource was changed by someone else",
                Detail = "Read it again and retry with its current ETag.",
            },
            DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg } => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
                Detail = "A resource with the same unique value already exists.",
                Extensions = { ["constraint"] = pg.ConstraintName },
            },
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ when DatabaseUnavailable(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is unavailable",
                Detail = "Its database cannot be reached just now: retry after the seconds in Retry-After.",
            },
            _ => null,
        };

        if (problem?.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // A warning, not an error with the stack: the readiness check reports the outage, and the log would repeat it per request.
            ProblemLog.Unavailable(logger, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName ?? httpContext.Request.Path, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            ProblemLog.Unhandled(logger, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName ?? httpContext.Request.Path, exception);
            // The exception (message and stack) goes to the log only, in every environment: it can name tables,
            // connection details or code paths, and the trace id in the answer finds it in the logs.
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }))
        {
            // The problem details service declines callers that do not accept JSON (Accept: text/html). Answering
            // anyway keeps the exception from reaching the developer exception page, which shows the stack.
            ProblemDetailsSetup.Customize(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
            await Results.Problem(problem).ExecuteAsync(httpContext);
        }

        return true;
    }

    /// <summary>Seconds a client waits before retrying while the database is unreachable.</summary>
    private const string RetryAfterSeconds = "5";

    /// <summary>
    /// The database cannot be reached or is going away (a restart, a failover, no connection to be had): a transient
    /// <see cref="NpgsqlException"/> (socket, timeout) anywhere in the chain, or PostgreSQL's connection exception (class 08),
    /// operator intervention (57P01-57P03: shut down, crashed, starting) or too many connections (53300). A client retries
    /// a change safely with the same Idempotency-Key or If-Match.
    /// </summary>
    public static bool DatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.TooManyConnections:
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException { IsTransient: true }:
                case DatabaseConnectionLostException:
                    return true;
            }
        }

        return false;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Title = "Request body too large", Detail = bad.Message };
        }

        var field = RequiredParameter().Match(bad.Message) is { Success: true } m ? m.Groups["name"].Value : "body";
        return Validation(bad.StatusCode, field, bad.Message);
    }

    private static ProblemDetails FromJson(JsonException json)
    {
        // System.Text.Json names unmapped properties in its message and the failing path in Path.
        string field, reason;
        if (UnmappedProperty().Match(json.Message) is { Success: true } unmapped)
        {
            (field, reason) = (unmapped.Groups["name"].Value, "Unknown field, or a field the server owns; remove it.");
        }
        else if (MissingProperty().Match(json.Message) is { Success: true } missing)
        {
            (field, reason) = (missing.Groups["name"].Value, "Required.");
        }
        else if (json.Path is null || json.Path == "$")
        {
            (field, reason) = ("body", "The body is not valid JSON.");
        }
        else
        {
            (field, reason) = (FieldFromPath(json.Path), json.Message.Contains("null", StringComparison.Ordinal)
                ? "Must not be null."
                : "The value has the wrong type or format.");
        }
        return Validation(StatusCodes.Status400BadRequest, field, reason);
    }

    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    public static ProblemDetails Validation(int status, string field, string reason) => new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { [field] = [reason] })
    {
        Status = status,
        Title = "The request is not valid",
        Detail = $"{field}: {reason}",
    };

    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("missing required properties including: '(?<name>[^']+)'")]
    private static partial Regex MissingProperty();

    [GeneratedRegex("parameter \"[^\"]* (?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex RequiredParameter();
}

internal static partial class ProblemLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Endpoint}")]
    public static partial void Unhandled(ILogger logger, string method, string endpoint, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{Method} {Endpoint} answered 503: the database cannot be reached ({Failure})")]
    public static partial void Unavailable(ILogger logger, string method, string endpoint, string failure);
}

public static class ProblemDetailsSetup
{
    /// <summary>Adds the trace id to every problem so a caller's report can be found in the traces.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        var traceId = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        context.ProblemDetails.Extensions["traceId"] = traceId;
    }
}

/// <summary>
/// Status code pages (a 401, 403 or 404 decided before any handler ran) as problem details whatever the caller's Accept
/// names: a client that asks for <c>text/plain</c> or <c>text/csv</c> (a filtering provider reading a feed) still gets the
/// RFC 9457 document the contract promises, where the default would write the reason as plain text.
/// </summary>
public static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var problem = new ProblemDetails { Status = http.Response.StatusCode };
        var problemContext = new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem };
        if (await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(problemContext))
        {
            return;
        }

        problem.Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(http.Response.StatusCode);
        ProblemDetailsSetup.Customize(problemContext);
        await http.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", http.RequestAborted);
    }
}
