using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The platform's request budgets: one token bucket per key (a signed-in caller, an API key, an anonymous address).
/// The framework's <c>PartitionedRateLimiter.Create</c> does the same, but takes one lock around its table of partitions
/// on every call; with three calls a request (the anonymous check, the caller's permit, the caller's standing for the
/// headers) every request of the process queued on that lock, which showed as a third of the request path's time in a
/// profile on two cores. Here a key's bucket is found without a lock; only the bucket's own brief lock remains.
/// A bucket refills as it is used: each look at it adds the permits earned since the last look (a minute's permits over
/// a minute, evenly), so nothing runs between requests. The framework's buckets (and this class before) were refilled by
/// a timer ten times a second, which kept an idle service waking as long as anyone had called it in the last seconds: in
/// Policy, which the other services' key reconcilers call every 30 s, that was always. A bucket that is full and unused
/// for 10 s is dropped by the next caller's sweep (at most one sweep per 10 s), so the table holds only the callers of
/// the last seconds. The gateway compiles this file too (its project links it): it takes no reference on this library and
/// what the services load with it (EF Core, MassTransit).
/// </summary>
public sealed class TokenBuckets
{
    /// <summary>How long a full bucket may sit unused before it is dropped (10 s), in clock ticks.</summary>
    private readonly long _idleTicks;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>The timestamp after which the next caller sweeps the table for idle buckets.</summary>
    private long _nextSweep;

    /// <param name="time">Timestamps only (elapsed time, never the date): the system's monotonic clock unless a test moves it.</param>
    /// <param name="idleLimit">How long a full, unused bucket is kept (10 s).</param>
    public TokenBuckets(TimeProvider? time = null, TimeSpan? idleLimit = null)
    {
        _time = time ?? TimeProvider.System;
        _idleTicks = (long)((idleLimit ?? TimeSpan.FromSeconds(10)).TotalSeconds * _time.TimestampFrequency);
        _nextSweep = _time.GetTimestamp();
    }

    /// <summary>Buckets held (callers that spent a permit in the last seconds).</summary>
    public int Count => _buckets.Count;

    /// <summary>
    /// Takes one permit from <paramref name="key"/>'s bucket of <paramref name="perMinute"/> (created full on first use;
    /// a new limit for the same key is a new bucket) and says what is left after it. A refusal carries
    /// <see cref="MetadataName.RetryAfter"/>: the time until the next permit is earned.
    /// </summary>
    public (RateLimitLease Lease, RateLimiterStatistics? Standing) Acquire(string key, int perMinute)
    {
        perMinute = Math.Max(1, perMinute);
        var now = _time.GetTimestamp();
        SweepIfDue(now);
        var bucket = _buckets.GetOrAdd(Key(key, perMinute), static (_, state) => new Bucket(state.PerMinute, state.Now, state.Frequency), (PerMinute: perMinute, Now: now, Frequency: _time.TimestampFrequency));
        return bucket.Take(now);
    }

    /// <summary>The standing of <paramref name="key"/>'s bucket of <paramref name="perMinute"/>; null when it has none (it spent nothing in the last seconds).</summary>
    public RateLimiterStatistics? Statistics(string key, int perMinute) =>
        _buckets.TryGetValue(Key(key, Math.Max(1, perMinute)), out var bucket) ? bucket.Standing(_time.GetTimestamp()) : null;

    private static string Key(string key, int perMinute) => string.Concat(key, "|", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void SweepIfDue(long now)
    {
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _idleTicks, due) != due)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsIdle(now, _idleTicks))
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
            }
        }
    }

    /// <summary>
    /// A bucket counted in clock ticks, so the arithmetic is exact: it holds up to a minute of earned time, a permit costs
    /// 60/n seconds of it, and each look adds the ticks elapsed since the last.
    /// </summary>
    private sealed class Bucket
    {
        private readonly Lock _gate = new();
        private readonly long _frequency;
        private readonly long _cost;
        private readonly long _capacity;
        private long _credit;
        private long _refilled;
        private long _lastTaken;

        public Bucket(int perMinute, long created, long frequency)
        {
            _frequency = frequency;
            _cost = Math.Max(1, (long)Math.Ceiling(60.0 * frequency / perMinute));
            _capacity = _cost * perMinute;
            _credit = _capacity;
            _refilled = created;
            _lastTaken = created;
        }

        public (RateLimitLease Lease, RateLimiterStatistics Standing) Take(long now)
        {
            lock (_gate)
            {
                Refill(now);
                _lastTaken = Math.Max(_lastTaken, now);
                if (_credit >= _cost)
                {
                    _credit -= _cost;
                    return (Granted.Instance, Statistics());
                }

                return (new Refused(TimeSpan.FromSeconds((double)(_cost - _credit) / _frequency)), Statistics());
            }
        }

        public RateLimiterStatistics Standing(long now)
        {
            lock (_gate)
            {
                Refill(now);
                return Statistics();
            }
        }

        public bool IsIdle(long now, long idleTicks)
        {
            lock (_gate)
            {
                Refill(now);
                return _credit == _capacity && now - _lastTaken > idleTicks;
            }
        }

        private void Refill(long now)
        {
            // Callers read the clock before they wait for the lock: a timestamp older than the last refill adds nothing.
            if (now > _refilled)
            {
                _credit = Math.Min(_capacity, _credit + (now - _refilled));
                _refilled = now;
            }
        }

        private RateLimiterStatistics Statistics() => new() { CurrentAvailablePermits = _credit / _cost };
    }

    /// <summary>A permit taken: nothing to give back (a token bucket's permits are spent, not held).</summary>
    internal sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
