using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The platform's request budgets: one token bucket per key (a signed-in caller, an API key, an anonymous address).
/// The framework's <c>PartitionedRateLimiter.Create</c> does the same, but takes one lock around its table of partitions
/// on every call; with three calls a request (the anonymous check, the caller's permit, the caller's standing for the
/// headers) every request of the process queued on that lock, which showed as a third of the request path's time in a
/// profile on two cores. Here a key's bucket is found without a lock; only the bucket's own brief lock remains.
/// Buckets are replenished as the framework's partitions are (<see cref="TokenBucketRateLimiter.TryReplenish"/> from one
/// timer every 100 ms, never a timer per bucket), and a full bucket idle for 10 s is dropped, so the table holds only
/// the callers of the last seconds.
/// </summary>
public sealed class TokenBuckets : IDisposable
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);
    private readonly Timer _timer;

    public TokenBuckets() => _timer = new Timer(_ => Replenish(), null, Heartbeat, Heartbeat);

    /// <summary>
    /// A token bucket holding one minute of permits, refilled evenly: bursts allowed, the sustained rate capped at
    /// <paramref name="perMinute"/> (below 60 a minute, one permit every 60/n seconds rather than one a second).
    /// </summary>
    public static TokenBucketRateLimiterOptions PerMinute(int perMinute)
    {
        perMinute = Math.Max(1, perMinute);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute >= 60 ? perMinute / 60 : 1,
            ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    /// <summary>
    /// Takes one permit from <paramref name="key"/>'s bucket of <paramref name="perMinute"/> (created full on first use;
    /// a new limit for the same key is a new bucket) and says what is left after it.
    /// </summary>
    public (RateLimitLease Lease, RateLimiterStatistics? Standing) Acquire(string key, int perMinute)
    {
        var bucket = _buckets.GetOrAdd(string.Concat(key, "|", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            static (_, limit) => new TokenBucketRateLimiter(PerMinute(limit)), perMinute);
        return (bucket.AttemptAcquire(), bucket.GetStatistics());
    }

    /// <summary>The standing of <paramref name="key"/>'s bucket of <paramref name="perMinute"/>; null when it has none (it spent nothing in the last seconds).</summary>
    public RateLimiterStatistics? Statistics(string key, int perMinute) =>
        _buckets.TryGetValue(string.Concat(key, "|", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var bucket) ? bucket.GetStatistics() : null;

    private void Replenish()
    {
        foreach (var (key, bucket) in _buckets)
        {
            bucket.TryReplenish();
            if (bucket.IdleDuration > IdleLimit && _buckets.TryRemove(new KeyValuePair<string, TokenBucketRateLimiter>(key, bucket)))
            {
                bucket.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}

/// <summary>
/// The per-caller budget as ASP.NET Core's rate limiting middleware asks for it (its global limiter). The caller's standing
/// after the permit is left on the request (<see cref="CallerStanding"/>) for the rate limit headers of the answer.
/// </summary>
public sealed class CallerRateLimiter(HttpContextBudget budget) : PartitionedRateLimiter<HttpContext>
{
    private readonly TokenBuckets _buckets = new();

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) =>
        budget(resource) is ({ } key, var perMinute) ? _buckets.Statistics(key, perMinute) : null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (budget(resource) is not ({ } key, var perMinute))
        {
            return Unlimited.Instance;
        }

        var (lease, standing) = _buckets.Acquire(key, perMinute);
        resource.Features.Set(new CallerStanding(perMinute, standing));
        return lease;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buckets.Dispose();
        }
    }

    private sealed class Unlimited : RateLimitLease
    {
        public static readonly Unlimited Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>Which budget a request spends: its key and permits a minute, or no key (not limited by this limiter).</summary>
public delegate (string? Key, int PerMinute) HttpContextBudget(HttpContext context);

/// <summary>A signed-in caller's budget and what was left of it when this request took its permit.</summary>
public sealed record CallerStanding(int PerMinute, RateLimiterStatistics? Statistics);
