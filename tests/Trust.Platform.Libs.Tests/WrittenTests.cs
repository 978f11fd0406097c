using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Libs.Tests;

/// <summary>How dates and times are written for people: British English, and as the clocks read where the reader is. No servers.</summary>
[Trait("Category", "Unit")]
public sealed class WrittenTests
{
    [Fact]
    public void A_date_is_written_day_month_year_in_words() =>
        Written.Date(new DateOnly(2027, 3, 28)).Should().Be("28 March 2027");

    [Theory]
    [InlineData("2026-07-01T13:30:00Z", "Europe/London", "1 July 2026 14:30", "1 Jul 2026 14:30")] // British Summer Time
    [InlineData("2026-12-05T13:30:00Z", "Europe/London", "5 December 2026 13:30", "5 Dec 2026 13:30")] // Greenwich Mean Time
    [InlineData("2027-03-28T00:59:00Z", "Europe/London", "28 March 2027 00:59", "28 Mar 2027 00:59")] // a minute before the clocks go forward
    [InlineData("2027-03-28T01:00:00Z", "Europe/London", "28 March 2027 02:00", "28 Mar 2027 02:00")] // and as they do
    [InlineData("2026-06-30T23:30:00Z", "Europe/London", "1 July 2026 00:30", "1 Jul 2026 00:30")] // the next day in England
    [InlineData("2026-07-01T13:30:00Z", "Not/AZone", "1 July 2026 13:30", "1 Jul 2026 13:30")] // unknown zone: UTC
    public void An_instant_is_written_as_the_clocks_read_it_in_the_readers_zone(string instant, string zone, string full, string narrow)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Written.DateAndTime(at, zone).Should().Be(full);
        Written.ShortDateAndTime(at, zone).Should().Be(narrow);
    }
}
