using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The per-caller budget, spent by <see cref="SpendCallerBudget"/> (a singleton in the services' container). The caller's
/// standing after the permit is left on the request (<see cref="CallerStanding"/>) for the rate limit headers of the answer.
/// It is not a <see cref="PartitionedRateLimiter{TResource}"/>: nothing waits for a permit or reads statistics through
/// that abstraction, and its asynchronous acquire and disposal would be members that nothing calls.
/// </summary>
public sealed class CallerRateLimiter(HttpContextBudget budget)
{
    /// <summary>
    /// The middleware that takes the signed-in caller's permit, or answers 429 with <c>Retry-After</c>. ASP.NET Core's rate
    /// limiting middleware is not used: besides its global limiter it always builds an endpoint limiter
    /// (<c>PartitionedRateLimiter.Create</c>) whose 100 ms heartbeat timer runs for the life of the process, so every idle
    /// service woke ten times a second for nothing (docs/adr/0160).
    /// </summary>
    public static async Task SpendCallerBudget(HttpContext context, Func<Task> next)
    {
        using var lease = context.RequestServices.GetRequiredService<CallerRateLimiter>().Spend(context);
        if (!lease.IsAcquired)
        {
            await Auth.TooManyRequests.WriteAsync(context, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
            return;
        }

        await next();
    }

    private readonly TokenBuckets _buckets = new();

    /// <summary>Takes one permit of the signed-in caller's budget; an anonymous request (no key) is not limited here.</summary>
    public RateLimitLease Spend(HttpContext context)
    {
        if (budget(context) is not ({ } key, var perMinute))
        {
            return TokenBuckets.Granted.Instance;
        }

        var (lease, standing) = _buckets.Acquire(key, perMinute);
        context.Features.Set(new CallerStanding(perMinute, standing));
        return lease;
    }
}

/// <summary>Which budget a request spends: its key and permits a minute, or no key (not limited by this limiter).</summary>
public delegate (string? Key, int PerMinute) HttpContextBudget(HttpContext context);

/// <summary>A signed-in caller's budget and what was left of it when this request took its permit.</summary>
public sealed record CallerStanding(int PerMinute, RateLimiterStatistics? Statistics);
