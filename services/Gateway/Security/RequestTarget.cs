using System.Text.RegularExpressions;

namespace Trust.Platform.Gateway.Security;

/// <summary>Why a request target is refused: a stable code for clients and a sentence for people.</summary>
public sealed record TargetRefusal(string Reason, string Detail);

/// <summary>
/// Decides whether a raw request target (exactly as the client sent it, before any server normalisation)
/// may be forwarded. The gateway's destinations are fixed, so these forms cannot choose a host by
/// themselves; they are refused anyway because each one is a way to make the path mean something other
/// than what the route matched: another host once re-parsed (<c>//host</c>, <c>http:</c>), another service
/// once normalised (<c>..</c>, encoded separators), or a different path to the service than to the gateway.
/// </summary>
public static partial class RequestTarget
{
    /// <summary>More layers than a legitimate client ever sends; deeper nesting only serves to hide a separator.</summary>
    private const int MaxDecodings = 3;

    // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), followed by ':'.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemePrefix();

    public static TargetRefusal? Check(string rawTarget)
    {
        // RFC 9112 section 3.2: a client talks to the gateway as to an origin server, so only the origin form
        // ("/path?query") is accepted; the absolute and asterisk forms are for forward proxies and OPTIONS *.
        if (!rawTarget.StartsWith('/'))
        {
            return new("not_origin_form", "The request target must be a path starting with '/' (RFC 9112 section 3.2.1).");
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawTarget : rawTarget[..query];
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return new("backslash", "The path contains a backslash, which some servers read as '/'.");
        }

        if (HasControlCharacter(path))
        {
            return new("control_character", "The path contains a control character.");
        }

        var slashes = path.Count(c => c == '/');
        var decoded = path;
        for (var round = 0; ; round++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next.Contains('\\', StringComparison.Ordinal) || next.Count(c => c == '/') != slashes)
            {
                return new("encoded_separator", "The path contains an encoded '/' or '\\' (such as %2F, %5C or %252F).");
            }

            if (HasControlCharacter(next))
            {
                return new("control_character", "The path contains an encoded control character.");
            }

            if (next == decoded)
            {
                break;
            }

            if (round == MaxDecodings)
            {
                return new("nested_encoding", $"The path is percent-encoded more than {MaxDecodings} times over.");
            }

            decoded = next;
        }

        var segments = decoded.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0 && i < segments.Length - 1)
            {
                return new("empty_segment", "The path has an empty segment ('//'), which could be read as the start of another host.");
            }

            if (segment is "." or "..")
            {
                return new("dot_segment", "The path has a '.' or '..' segment (plain or encoded), which could climb out of its service's route.");
            }

            if (SchemePrefix().IsMatch(segment))
            {
                return new("scheme", $"The path segment '{Truncate(segment)}' starts with a URI scheme, which could be read as another host.");
            }
        }

        return null;
    }

    /// <summary>The decoded path segments of a target that passed <see cref="Check"/> (the first, empty one removed).</summary>
    public static string[] Segments(string rawTarget)
    {
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawTarget : rawTarget[..query];
        for (var round = 0; round <= MaxDecodings; round++)
        {
            path = Uri.UnescapeDataString(path);
        }

        return path.Split('/')[1..];
    }

    private static bool HasControlCharacter(string value) => value.Any(char.IsControl);

    private static string Truncate(string segment) => segment.Length <= 40 ? segment : segment[..40] + "...";
}
