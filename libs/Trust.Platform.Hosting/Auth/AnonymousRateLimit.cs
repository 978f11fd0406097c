using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// The budget of requests that are not authenticated, per client address: requests with no credentials and
/// requests whose token or key fails. It is spent after authentication (a caller whose key works never spends
/// it), but checked before: once an address has spent it, its requests are refused with 429 before any token is
/// validated or any key looked up, so a flood of made-up keys costs the database nothing more.
/// </summary>
public sealed class AnonymousRateLimit
{
    private readonly TokenBuckets _buckets = new();
    private readonly IReadOnlyList<IPNetwork> _trustedProxies;
    private readonly int _perMinute;

    public AnonymousRateLimit(IOptions<LimitsOptions> options)
    {
        _perMinute = options.Value.AnonymousPermitsPerMinute;
        _trustedProxies = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128"), .. options.Value.TrustedProxies.Select(Network)];
    }

    private static IPNetwork Network(string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.Parse(value);
        }

        var address = IPAddress.Parse(value);
        return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>
    /// The client's address: the peer's, or, when the peer is a trusted proxy (the gateway), the address that
    /// proxy appended last to <c>X-Forwarded-For</c>. Otherwise every client of the gateway would share one
    /// budget, and one client's flood of bad keys would lock out everyone behind it.
    /// </summary>
    private string Address(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return "unknown";
        }

        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        if (_trustedProxies.Any(n => n.Contains(peer)) &&
            context.Request.Headers["X-Forwarded-For"].ToString().Split(',').LastOrDefault()?.Trim() is { Length: > 0 } forwarded &&
            IPAddress.TryParse(forwarded, out var client))
        {
            return client.ToString();
        }

        return peer.ToString();
    }

    /// <summary>Before authentication: an address with nothing left is refused without looking at its credentials.</summary>
    public static Task RefuseSpentAddresses(HttpContext context, Func<Task> next)
    {
        var limit = context.RequestServices.GetRequiredService<AnonymousRateLimit>();
        // Lock-free for every address that spent nothing lately (the authenticated callers): it has no bucket.
        var statistics = limit._buckets.Statistics(limit.Address(context), limit._perMinute);
        if (statistics is { CurrentAvailablePermits: <= 0 })
        {
            RateLimitHeaders.Set(context.Response, limit._perMinute, statistics);
            return TooManyRequests.WriteAsync(context, TimeSpan.FromSeconds(1));
        }

        return next();
    }

    /// <summary>After authentication: a request that is not authenticated spends one permit of its address.</summary>
    public static async Task SpendUnlessAuthenticated(HttpContext context, Func<Task> next)
    {
        if (!context.Principal().IsAuthenticated)
        {
            var limit = context.RequestServices.GetRequiredService<AnonymousRateLimit>();
            var address = limit.Address(context);
            var (lease, statistics) = limit._buckets.Acquire(address, limit._perMinute);
            using var _ = lease;
            context.Response.OnStarting(() =>
            {
                RateLimitHeaders.Set(context.Response, limit._perMinute, statistics);
                return Task.CompletedTask;
            });
            if (!lease.IsAcquired)
            {
                await TooManyRequests.WriteAsync(context, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
                return;
            }
        }

        await next();
    }
}

/// <summary>The one 429 answer of the platform: problem details with <c>Retry-After</c> in whole seconds.</summary>
public static class TooManyRequests
{
    public static async Task WriteAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Retry after {seconds} s." },
        });
    }
}
