using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Trust.Platform.Hosting.Http;

/// <summary>Optimistic concurrency over HTTP: a resource's version is its ETag; edits must send it back in If-Match.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    public static void Set(HttpResponse response, long version) => response.Headers[HeaderNames.ETag] = For(version);

    /// <summary>428 without If-Match, 412 when it names another version, null when the edit may proceed (RFC 9110 section 13.1.1).</summary>
    public static ProblemHttpResult? Check(string? ifMatch, long currentVersion)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
                detail: "Send the ETag you last read in If-Match so that concurrent edits are not lost.");
        }

        var current = For(currentVersion);
        var matches = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || tag == current || tag == "W/" + current);
        return matches
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource was changed by someone else",
                detail: $"The current ETag is {current}; read the resource again and retry.");
    }

    /// <summary>As <see cref="Check(string?, long)"/>, reading If-Match from the request (for handlers not yet binding it).</summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, long currentVersion) =>
        Check(request.Headers[HeaderNames.IfMatch].ToString(), currentVersion);
}
