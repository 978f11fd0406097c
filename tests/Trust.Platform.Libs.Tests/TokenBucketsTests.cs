using Microsoft.AspNetCore.Http;
using Trust.Platform.Hosting.Http;

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
