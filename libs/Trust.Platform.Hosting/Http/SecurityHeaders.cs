using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// Headers every answer of every service carries. <c>X-Content-Type-Options: nosniff</c> stops a browser
/// from reading a JSON, CSV or Markdown body as HTML or script; an HTML answer that sets no
/// Content-Security-Policy of its own gets one that allows nothing to load or run.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>Nothing loads, runs, submits or frames; an HTML endpoint that needs more (a style block) sets its own policy.</summary>
    public const string StrictHtmlPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // On starting, not now: the exception handler clears the headers of a failed response before it writes its problem.
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            response.Headers.XContentTypeOptions = "nosniff";
            if (response.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var media)
                && media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                && !response.Headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
            {
                response.Headers.ContentSecurityPolicy = StrictHtmlPolicy;
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
