using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// Tells a caller where it stands on every answer (IETF draft "RateLimit header fields for HTTP"): the permits of its
/// window, what is left, and the seconds until a permit is free again. The contract documents them on every 2xx and 4xx.
/// </summary>
public static class RateLimitHeaders
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";

    /// <summary>Sets the headers from <paramref name="statistics"/> of a token bucket holding <paramref name="perMinute"/> permits.</summary>
    public static void Set(HttpResponse response, int perMinute, RateLimiterStatistics? statistics)
    {
        var remaining = Math.Max(0, statistics?.CurrentAvailablePermits ?? perMinute);
        // The bucket earns a permit every 60/n seconds (TokenBuckets): within a second at 60 a minute or more.
        var refill = perMinute >= 60 ? 1 : (int)Math.Ceiling(60.0 / Math.Max(1, perMinute));
        response.Headers[Limit] = perMinute.ToString(CultureInfo.InvariantCulture);
        response.Headers[Remaining] = remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[Reset] = (remaining > 0 ? 0 : refill).ToString(CultureInfo.InvariantCulture);
    }
}
