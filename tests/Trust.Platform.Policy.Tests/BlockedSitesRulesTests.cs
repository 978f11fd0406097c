using Trust.Platform.Policy.Domain.BlockedContent;

namespace Trust.Platform.Policy.Tests;

/// <summary>The feed's rules without servers: host names, sources, allowances that start and lapse.</summary>
[Trait("Category", "Unit")]
public sealed class BlockedSitesRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 24, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("facebook.com", "facebook.com")]
    [InlineData(" https://www.Facebook.com/groups?x=1 ", "www.facebook.com")]
    [InlineData("youtube.com/watch", "youtube.com")]
    public void A_site_is_fed_as_its_lower_case_host_name(string text, string host)
    {
        BlockedSites.Normalise(text).Should().Be(host);
    }

    [Theory]
    [InlineData("")]
    [InlineData("facebook")]
    [InlineData("face book.com")]
    [InlineData("evil.com,allow")]
    [InlineData("a.com\nb.com")]
    [InlineData("=cmd|' /C calc'!A0")]
    public void Text_that_is_not_a_host_name_never_becomes_a_feed_line(string text)
    {
        BlockedSites.Normalise(text).Should().BeNull();
    }

    [Fact]
    public void The_trusts_sites_come_first_then_the_schools_each_once()
    {
        var entries = BlockedSites.Compose(["tiktok.com", "facebook.com", "Facebook.com", "twitter.com"], ["facebook.com", "twitter.com"], [], Now);

        entries.Select(e => (e.Domain, e.Source)).Should().Equal(("facebook.com", FeedSource.Trust), ("twitter.com", FeedSource.Trust), ("tiktok.com", FeedSource.School));
    }

    [Fact]
    public void An_allowance_is_fed_from_its_start_until_it_lapses_and_not_after()
    {
        Allowance[] allowances = [new("youtube.com", Now.AddHours(-1), Now.AddHours(1)), new("vimeo.com", Now.AddHours(1), Now.AddHours(2)), new("x.com", Now.AddHours(-2), Now)];

        var entries = BlockedSites.Compose(["youtube.com"], ["youtube.com"], allowances, Now);

        entries.Where(e => e.Allow).Should().ContainSingle().Which.Should().Be(new FeedEntry("youtube.com", true, FeedSource.AccessRequest, Now.AddHours(1)));
        BlockedSites.Plain(entries, allowList: false).Should().Be("youtube.com\n", "the block stays listed: the allowance is an exception to it");
        BlockedSites.Plain(entries, allowList: true).Should().Be("youtube.com\n");
        BlockedSites.Csv(entries).Should().Be("domain,action,source,allowed_until\r\nyoutube.com,block,trust,\r\nyoutube.com,allow,access_request,2026-03-24T11:00:00Z\r\n");
    }
}
