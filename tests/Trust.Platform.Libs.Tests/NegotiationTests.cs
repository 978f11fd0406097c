using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Libs.Tests;

[Trait("Category", "Unit")]
public sealed class NegotiationTests
{
    [Theory]
    [InlineData("text/csv", true)]
    [InlineData("text/plain, text/csv", true)]
    [InlineData("text/plain, text/csv;q=0.5", false)]
    [InlineData("text/csv;q=0", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    [InlineData("not a media type", false)]
    public void The_preferred_type_wins_only_when_the_header_names_it_at_least_as_high_when_it_wins_ties(string accept, bool csv) =>
        Negotiation.Prefers([accept], "text/csv", "text/plain", winsTies: true).Should().Be(csv);

    [Theory]
    [InlineData("text/html", true)]
    [InlineData("text/html, text/markdown", false)]
    [InlineData("text/markdown;q=0.4, text/html;q=0.9", true)]
    [InlineData(null, false)]
    public void Without_ties_the_fallback_keeps_an_equal_rating(string? accept, bool html) =>
        Negotiation.Prefers([accept], "text/html", "text/markdown").Should().Be(html);
}
