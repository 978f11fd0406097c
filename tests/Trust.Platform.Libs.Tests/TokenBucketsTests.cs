using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Libs.Tests;

[Trait("Category", "Unit")]
public sealed class TokenBucketsTests
{
    [Fact]
    public void A_key_gets_its_minute_of_permits_then_is_refused_while_another_key_is_untouched()
    {
        var buckets = new TokenBuckets(new FakeTimeProvider());
        for (var i = 0; i < 120; i++)
        {
            var (lease, standing) = buckets.Acquire("user:a", 120);
            lease.IsAcquired.Should().BeTrue($"permit {i + 1} of 120");
            standing!.CurrentAvailablePermits.Should().Be(120 - i - 1);
        }

        var refused = buckets.Acquire("user:a", 120).Lease;
        refused.IsAcquired.Should().BeFalse("the minute's 120 permits are spent");
        refused.TryGetMetadata(MetadataName.RetryAfter, out var wait).Should().BeTrue();
        wait.Should().Be(TimeSpan.FromSeconds(0.5), "at 120 a minute a permit is earned every half second");
        buckets.Acquire("user:b", 120).Lease.IsAcquired.Should().BeTrue("each key has its own bucket");
    }

    [Fact]
    public void A_key_that_spent_nothing_has_no_standing_and_a_new_limit_is_a_new_bucket()
    {
        var buckets = new TokenBuckets(new FakeTimeProvider());
        buckets.Statistics("203.0.113.9", 300).Should().BeNull();
        buckets.Acquire("key:k", 1).Lease.IsAcquired.Should().BeTrue();
        buckets.Acquire("key:k", 1).Lease.IsAcquired.Should().BeFalse();
        buckets.Statistics("key:k", 1)!.CurrentAvailablePermits.Should().Be(0);
        buckets.Acquire("key:k", 600).Lease.IsAcquired.Should().BeTrue("the key's limit was raised: the old bucket no longer applies");
    }

    [Fact]
    public void Permits_are_earned_evenly_as_time_passes_and_a_full_bucket_unused_for_ten_seconds_is_dropped()
    {
        var time = new FakeTimeProvider();
        var buckets = new TokenBuckets(time);
        for (var i = 0; i < 60; i++)
        {
            buckets.Acquire("user:a", 60).Lease.IsAcquired.Should().BeTrue();
        }

        buckets.Acquire("user:a", 60).Lease.IsAcquired.Should().BeFalse("the minute's permits are spent");
        time.Advance(TimeSpan.FromMilliseconds(999));
        buckets.Acquire("user:a", 60).Lease.IsAcquired.Should().BeFalse("a permit is earned each second at 60 a minute, not before");
        time.Advance(TimeSpan.FromMilliseconds(1));
        buckets.Acquire("user:a", 60).Lease.IsAcquired.Should().BeTrue("a second has passed");
        buckets.Acquire("user:a", 60).Lease.IsAcquired.Should().BeFalse();

        // Half a minute earns half the permits; a slow key (6 a minute) earns one every 10 s.
        time.Advance(TimeSpan.FromSeconds(30));
        buckets.Statistics("user:a", 60)!.CurrentAvailablePermits.Should().Be(30);
        buckets.Acquire("key:slow", 6).Lease.IsAcquired.Should().BeTrue();
        for (var i = 0; i < 5; i++)
        {
            buckets.Acquire("key:slow", 6).Lease.IsAcquired.Should().BeTrue($"permit {i + 2} of 6");
        }

        var (refused, _) = buckets.Acquire("key:slow", 6);
        refused.IsAcquired.Should().BeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var wait).Should().BeTrue();
        wait.Should().Be(TimeSpan.FromSeconds(10));

        // Full again and unused past ten seconds: the next caller's sweep drops it, so the table holds recent callers only.
        time.Advance(TimeSpan.FromSeconds(40));
        buckets.Statistics("user:a", 60)!.CurrentAvailablePermits.Should().Be(60, "a bucket never holds more than its minute");
        buckets.Count.Should().Be(2);
        time.Advance(TimeSpan.FromSeconds(11));
        buckets.Acquire("user:b", 60).Lease.IsAcquired.Should().BeTrue();
        buckets.Statistics("user:a", 60).Should().BeNull("its bucket was full and unused for more than 10 s");
        buckets.Statistics("key:slow", 6).Should().NotBeNull("it is still earning back its permits: dropping it would hand it a full bucket");
        buckets.Count.Should().Be(2);
    }

    [Fact]
    public void The_caller_limiter_leaves_the_standing_on_the_request_and_lets_anonymous_requests_through()
    {
        var limiter = new CallerRateLimiter(c => c.Request.Headers.Authorization.Count > 0 ? ("user:" + c.Request.Headers.Authorization, 2) : (null, 0));
        var signedIn = new DefaultHttpContext();
        signedIn.Request.Headers.Authorization = "Bearer x";
        limiter.Spend(signedIn).IsAcquired.Should().BeTrue();
        signedIn.Features.Get<CallerStanding>()!.Statistics!.CurrentAvailablePermits.Should().Be(1);
        limiter.Spend(signedIn).IsAcquired.Should().BeTrue();
        limiter.Spend(signedIn).IsAcquired.Should().BeFalse();
        signedIn.Features.Get<CallerStanding>()!.Statistics!.CurrentAvailablePermits.Should().Be(0, "the refused request's standing is on it too");

        var anonymous = new DefaultHttpContext();
        limiter.Spend(anonymous).IsAcquired.Should().BeTrue("anonymous requests are limited per address before authentication, not here");
        anonymous.Features.Get<CallerStanding>().Should().BeNull();
    }
}
