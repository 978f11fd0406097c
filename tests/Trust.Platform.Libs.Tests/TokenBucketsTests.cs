using Microsoft.AspNetCore.Http;
using Trust.Platform.Hosting.Http;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

[Trait("Category", "Unit")]
public sealed class TokenBucketsTests
{
    [Fact]
    public void A_key_gets_its_minute_of_permits_then_is_refused_while_another_key_is_untouched()
    {
        using var buckets = new TokenBuckets();
        for (var i = 0; i < 120; i++)
        {
            var (lease, standing) = buckets.Acquire("user:a", 120);
            lease.IsAcquired.Should().BeTrue($"permit {i + 1} of 120");
            standing!.CurrentAvailablePermits.Should().Be(120 - i - 1);
        }

        buckets.Acquire("user:a", 120).Lease.IsAcquired.Should().BeFalse("the minute's 120 permits are spent");
        buckets.Acquire("user:b", 120).Lease.IsAcquired.Should().BeTrue("each key has its own bucket");
    }

    [Fact]
    public void A_key_that_spent_nothing_has_no_standing_and_a_new_limit_is_a_new_bucket()
    {
        using var buckets = new TokenBuckets();
        buckets.Statistics("203.0.113.9", 300).Should().BeNull();
        buckets.Acquire("key:k", 1).Lease.IsAcquired.Should().BeTrue();
        buckets.Acquire("key:k", 1).Lease.IsAcquired.Should().BeFalse();
        buckets.Statistics("key:k", 1)!.CurrentAvailablePermits.Should().Be(0);
        buckets.Acquire("key:k", 600).Lease.IsAcquired.Should().BeTrue("the key's limit was raised: the old bucket no longer applies");
    }

    [Fact]
    public async Task The_replenishing_timer_runs_only_while_buckets_are_held()
    {
        using var buckets = new TokenBuckets(idleLimit: TimeSpan.FromMilliseconds(200));
        buckets.Ticking.Should().BeFalse("no caller yet: nothing to replenish, nothing to wake for");
        buckets.Acquire("user:a", 60).Lease.IsAcquired.Should().BeTrue();
        buckets.Ticking.Should().BeTrue();

        // The bucket refills, sits unused past its idle limit, is dropped, and the timer stops with the table empty.
        await Eventually.Until(() => Task.FromResult(buckets.Ticking), ticking => !ticking, TimeSpan.FromSeconds(10), "the timer stops once no bucket is held");
        buckets.Statistics("user:a", 60).Should().BeNull("the idle bucket was dropped");

        // A new caller starts it again, and its bucket is replenished as before.
        for (var i = 0; i < 60; i++)
        {
            buckets.Acquire("user:b", 60).Lease.IsAcquired.Should().BeTrue();
        }

        buckets.Acquire("user:b", 60).Lease.IsAcquired.Should().BeFalse("the minute's permits are spent");
        buckets.Ticking.Should().BeTrue();
        await Eventually.Until(() => Task.FromResult(buckets.Acquire("user:b", 60).Lease.IsAcquired), ok => ok, TimeSpan.FromSeconds(10),
            "a permit comes back each second while the timer runs");
    }

    [Fact]
    public void The_caller_limiter_leaves_the_standing_on_the_request_and_lets_anonymous_requests_through()
    {
        using var limiter = new CallerRateLimiter(c => c.Request.Headers.Authorization.Count > 0 ? ("user:" + c.Request.Headers.Authorization, 2) : (null, 0));
        var signedIn = new DefaultHttpContext();
        signedIn.Request.Headers.Authorization = "Bearer x";
        limiter.AttemptAcquire(signedIn).IsAcquired.Should().BeTrue();
        signedIn.Features.Get<CallerStanding>()!.Statistics!.CurrentAvailablePermits.Should().Be(1);
        limiter.AttemptAcquire(signedIn).IsAcquired.Should().BeTrue();
        limiter.AttemptAcquire(signedIn).IsAcquired.Should().BeFalse();
        limiter.GetStatistics(signedIn)!.CurrentAvailablePermits.Should().Be(0);

        var anonymous = new DefaultHttpContext();
        limiter.AttemptAcquire(anonymous).IsAcquired.Should().BeTrue("anonymous requests are limited per address before authentication, not here");
        anonymous.Features.Get<CallerStanding>().Should().BeNull();
    }
}
