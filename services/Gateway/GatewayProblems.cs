using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Trust.Platform.Gateway;

/// <summary>The gateway's own answers as RFC 9457 problem details, whatever the caller's Accept header says.</summary>
public static class GatewayProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string? detail = null, string? reason = null, string? instance = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = instance };
        if (reason is not null)
        {
            problem.Extensions["reason"] = reason;
        }

        context.Response.StatusCode = status;
        Customize(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        // ProblemHttpResult falls back to writing application/problem+json itself when the problem details
        // service declines (an Accept of text/html, say), so no caller ever gets an empty or HTML error page.
        return Results.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>Adds the trace id, as the services do, so a caller's report can be found in the traces.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
    }
}

/// <summary>
/// Every unhandled failure is a 500 problem with no exception text, in every environment: the stack trace
/// goes to the log only. Handling it here (and always answering) also keeps the developer exception page,
/// which ASP.NET Core puts in front of every app in Development, from ever seeing the exception.
/// </summary>
public sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (exception is BadHttpRequestException bad)
        {
            await GatewayProblems.WriteAsync(httpContext, bad.StatusCode, "The request is not valid", bad.Message);
            return true;
        }

        Unhandled(logger, httpContext.Request.Method, exception);
        await GatewayProblems.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "An unexpected error occurred");
        return true;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled exception in the gateway ({Method})")]
    private static partial void Unhandled(ILogger logger, string method, Exception exception);
}
