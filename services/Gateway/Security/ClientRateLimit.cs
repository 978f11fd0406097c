using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Gateway.Security;

/// <summary>
/// One token bucket per client address (<see cref="TokenBuckets"/>, the services' own): a minute of permits as the burst,
/// earned back evenly over the minute; a client over it gets 429 with <c>Retry-After</c>. Not ASP.NET Core's rate limiting
/// middleware: it keeps a 100 ms heartbeat timer running for the life of the process (for its endpoint limiter, and for a
/// <c>PartitionedRateLimiter.Create</c> global one), which woke the idle gateway ten times a second (docs/adr/0160).
/// </summary>
public sealed class ClientRateLimit(IOptions<GatewayLimits> options)
{
    private readonly TokenBuckets _buckets = new();
    private readonly int _perMinute = Math.Max(1, options.Value.PermitsPerMinute);

    public static async Task Spend(HttpContext context, Func<Task> next)
    {
        var limit = context.RequestServices.GetRequiredService<ClientRateLimit>();
        // REVIEW: the gateway is the edge, so the connection's address is the client. Behind a load balancer,
        // add the forwarded-headers middleware with that balancer as the only known proxy, before this.
        var (lease, _) = limit._buckets.Acquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", limit._perMinute);
        using (lease)
        {
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests", $"Retry after {seconds} s.");
                return;
            }
        }

        await next();
    }
}
