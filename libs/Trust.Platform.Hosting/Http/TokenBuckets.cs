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
/// the callers of the last seconds. The timer runs only while there are buckets: an idle service (no caller in the last
/// ten seconds) is not woken ten times a second to replenish nothing.
/// </summary>
public sealed class TokenBuckets : IDisposable
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a full bucket may sit unused before it is dropped (10 s).</summary>
    private readonly TimeSpan _idleLimit;

    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);
    private readonly Timer _timer;

    /// <summary>1 while the timer is scheduled, 0 while it is stopped (no buckets).</summary>
    private int _ticking;

    /// <param name="idleLimit">How long an unused bucket is kept (10 s; shorter in a test that waits for the table to empty).</param>
    public TokenBuckets(TimeSpan? idleLimit = null)
    {
        _idleLimit = idleLimit ?? TimeSpan.FromSeconds(10);
        _timer = new Timer(_ => Replenish(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

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
        StartTicking();
        return (bucket.AttemptAcquire(), bucket.GetStatistics());
    }

    /// <summary>The standing of <paramref name="key"/>'s bucket of <paramref name="perMinute"/>; null when it has none (it spent nothing in the last seconds).</summary>
    public RateLimiterStatistics? Statistics(string key, int perMinute) =>
        _buckets.TryGetValue(string.Concat(key, "|", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var bucket) ? bucket.GetStatistics() : null;

    /// <summary>Whether the replenishing timer is scheduled (it is while any bucket is held).</summary>
    public bool Ticking => Volatile.Read(ref _ticking) == 1;

    private void StartTicking()
    {
        if (Volatile.Read(ref _ticking) == 0 && Interlocked.CompareExchange(ref _ticking, 1, 0) == 0)
        {
            _timer.Change(Heartbeat, Heartbeat);
        }
    }

    private void Replenish()
    {
        foreach (var (key, bucket) in _buckets)
        {
            bucket.TryReplenish();
            if (bucket.IdleDuration > _idleLimit && _buckets.TryRemove(new KeyValuePair<string, TokenBucketRateLimiter>(key, bucket)))
            {
                bucket.Dispose();
            }
        }

        if (_buckets.IsEmpty)
        {
            // Stopped before the flag is cleared, so a caller that starts it again (after seeing 0) schedules it after this;
            // a bucket added meanwhile by a caller that still saw 1 is found by the second look, which starts it again.
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _ticking, 0);
            if (!_buckets.IsEmpty)
            {
                StartTicking();
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
