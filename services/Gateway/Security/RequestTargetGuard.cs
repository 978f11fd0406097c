using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Trust.Platform.Gateway.Security;

/// <summary>
/// Runs before routing: refuses a request target that <see cref="RequestTarget"/> rejects (400), any route to
/// a service's development endpoints (404), and a declared body over the limit (413).
/// </summary>
public sealed class RequestTargetGuard(RequestDelegate next, IOptions<GatewayLimits> limits)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Kestrel removes dot segments from Request.Path before anything else sees it, and Request.Path is
        // decoded: only the raw target shows what the client really sent. (The in-memory test host has none.)
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = (context.Request.PathBase + context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }

        if (RequestTarget.Check(raw) is { } refusal)
        {
            // The path as sent, not Kestrel's normalised Request.Path (which would show /incidents for /policy/../incidents).
            return GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "The request path is not allowed", refusal.Detail, refusal.Reason,
                instance: raw.Split('?')[0]);
        }

        // The development token minter (and anything else under /dev) answers local callers of a service only;
        // the gateway never routes there, in any case or encoding.
        var segments = RequestTarget.Segments(raw);
        if (segments.Length > 1 && GatewayService.Services.Contains(segments[0], StringComparer.OrdinalIgnoreCase) &&
            segments[1].Equals("dev", StringComparison.OrdinalIgnoreCase))
        {
            return GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found");
        }

        var limit = limits.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body is larger than {limit} bytes.");
        }

        // Kestrel enforces this on chunked bodies as they are read (the forwarder then reports a 413).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
