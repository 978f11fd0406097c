using Microsoft.Net.Http.Headers;

namespace Trust.Platform.Hosting.Http;

/// <summary>The one reading of an Accept header for endpoints that answer in more than one text type (RFC 9110 section 12.5.1).</summary>
public static class Negotiation
{
    /// <summary>
    /// True when the Accept header rates <paramref name="preferred"/> above <paramref name="fallback"/> (or equal to it, when
    /// <paramref name="winsTies"/>); a type the header does not name is not acceptable, and an unreadable header asks for the fallback.
    /// </summary>
    public static bool Prefers(IEnumerable<string?> accept, string preferred, string fallback, bool winsTies = false)
    {
        if (!MediaTypeHeaderValue.TryParseList([.. accept.OfType<string>()], out var types))
        {
            return false;
        }

        double Quality(string type) =>
            types.Where(t => t.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(t => t.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var wanted = Quality(preferred);
        var other = Quality(fallback);
        return wanted > 0 && (wanted > other || (winsTies && wanted == other));
    }
}
