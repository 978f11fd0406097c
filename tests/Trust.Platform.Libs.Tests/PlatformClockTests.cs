using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Libs.Tests;

[Trait("Category", "Unit")]
public sealed class PlatformClockTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static TimeProvider Clock(string environment, params (string Key, string Value)[] settings) =>
        PlatformClock.Create(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(),
            new Environment(environment));

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Without_clock_now_the_platform_runs_on_the_system_clock()
    {
        Clock(Environments.Development).Should().BeSameAs(TimeProvider.System);
        Clock(Environments.Production).Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void Clock_now_in_production_is_refused_at_startup()
    {
        var act = () => Clock(Environments.Production, (PlatformClock.NowKey, "2028-02-29T09:00:00Z"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Clock:Now*Production*tests and demos only*");
    }

    [Fact]
    public void A_shifted_clock_starts_at_clock_now_and_runs_forward_at_the_real_rate()
    {
        var anchor = TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(10);
        var clock = Clock(Environments.Development, (PlatformClock.NowKey, "2026-12-24T09:00:00Z"), (PlatformClock.AnchorKey, anchor.ToString("O")));

        clock.GetUtcNow().Should().BeCloseTo(Utc(2026, 12, 24, 9, 10), TimeSpan.FromSeconds(5), "ten minutes have passed since the anchor");
        (clock.GetUtcNow() - TimeProvider.System.GetUtcNow()).Should().BeCloseTo(Utc(2026, 12, 24, 9, 0) - anchor, TimeSpan.FromSeconds(1),
            "the shifted clock keeps a fixed distance from the system clock: it runs at the real rate");
        clock.GetTimestamp().Should().BeCloseTo(TimeProvider.System.GetTimestamp(), (ulong)TimeProvider.System.TimestampFrequency, "elapsed time is the system's");
    }

    [Fact]
    public void Two_processes_given_the_same_anchor_read_the_same_clock()
    {
        var anchor = TimeProvider.System.GetUtcNow().ToString("O");
        var policy = (ShiftedTimeProvider)Clock(Environments.Development, (PlatformClock.NowKey, "2027-08-01T09:00 Europe/London"), (PlatformClock.AnchorKey, anchor));
        var training = (ShiftedTimeProvider)Clock(Environments.Development, (PlatformClock.NowKey, "2027-08-01T09:00 Europe/London"), (PlatformClock.AnchorKey, anchor));

        training.Offset.Should().Be(policy.Offset);
    }

    [Theory]
    [InlineData("2026-12-24T09:00:00Z", "2026-12-24T09:00:00+00:00")]
    [InlineData("2027-08-01T09:00:00+01:00", "2027-08-01T08:00:00+00:00")]
    [InlineData("2027-08-01T09:00 Europe/London", "2027-08-01T08:00:00+00:00")]
    [InlineData("2028-02-29T09:00 Europe/London", "2028-02-29T09:00:00+00:00")]
    // Skipped by the spring change (01:00 GMT -> 02:00 BST): read with the offset before it, so 01:30 GMT (02:30 BST).
    [InlineData("2027-03-28T01:30 Europe/London", "2027-03-28T01:30:00+00:00")]
    // Repeated by the autumn change (02:00 BST -> 01:00 GMT): the first occurrence, 01:30 BST.
    [InlineData("2027-10-31T01:30 Europe/London", "2027-10-31T00:30:00+00:00")]
    public void An_instant_is_iso_8601_with_its_offset_or_a_local_time_in_an_iana_zone(string text, string expected)
    {
        PlatformClock.ParseInstant(PlatformClock.NowKey, text).Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-12-24")]
    [InlineData("2026-12-24T09:00:00")]
    [InlineData("2026-12-24T09:00 Europe/Nowhere")]
    [InlineData("Christmas Eve")]
    public void A_time_without_an_offset_or_a_known_zone_is_refused(string text)
    {
        var act = () => PlatformClock.ParseInstant(PlatformClock.NowKey, text);

        act.Should().Throw<InvalidOperationException>().WithMessage($"Clock:Now '{text}' is not an instant*");
    }

    [Fact]
    public void The_local_date_is_the_schools_not_utcs()
    {
        // 23:30 UTC on a summer evening is already the next day in London.
        PlatformClock.LocalDate(Utc(2027, 7, 1, 23, 30), "Europe/London").Should().Be(new DateOnly(2027, 7, 2));
        PlatformClock.LocalDate(Utc(2027, 12, 1, 23, 30), "Europe/London").Should().Be(new DateOnly(2027, 12, 1));
        PlatformClock.LocalDate(Utc(2027, 7, 1, 23, 30), "Not/AZone").Should().Be(new DateOnly(2027, 7, 1), "an unknown zone falls back to UTC");
    }

    [Fact]
    public void A_token_is_current_between_not_before_and_expiry_give_or_take_the_skew()
    {
        var now = Utc(2028, 2, 29, 9, 0);
        var skew = TimeSpan.FromSeconds(30);
        TokenLifetime.IsCurrent(now.UtcDateTime.AddMinutes(-5), now.UtcDateTime.AddHours(12), skew, now).Should().BeTrue();
        TokenLifetime.IsCurrent(now.UtcDateTime.AddSeconds(20), now.UtcDateTime.AddHours(12), skew, now).Should().BeTrue("within the skew");
        TokenLifetime.IsCurrent(now.UtcDateTime.AddMinutes(5), now.UtcDateTime.AddHours(12), skew, now).Should().BeFalse("not yet valid");
        TokenLifetime.IsCurrent(null, now.UtcDateTime.AddSeconds(-20), skew, now).Should().BeTrue("expired within the skew");
        TokenLifetime.IsCurrent(null, now.UtcDateTime.AddMinutes(-1), skew, now).Should().BeFalse("expired");
        TokenLifetime.IsCurrent(null, null, skew, now).Should().BeFalse("a token without an expiry is refused");
    }
}

[Trait("Category", "Unit")]
public sealed class EnglishSchoolYearTests
{
    [Theory]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2028, 4, 16)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_sunday_is_computed_for_the_gregorian_calendar(int year, int month, int day)
    {
        EnglishSchoolYear.EasterSunday(year).Should().Be(new DateOnly(year, month, day));
    }

    [Fact]
    public void The_2026_27_school_year_matches_the_usual_english_pattern()
    {
        EnglishSchoolYear.Terms(2026).Should().Equal(
            new Contracts.Term("Autumn 2026", new DateOnly(2026, 9, 2), new DateOnly(2026, 12, 18)),
            new Contracts.Term("Spring 2027", new DateOnly(2027, 1, 4), new DateOnly(2027, 3, 26)),
            new Contracts.Term("Summer 2027", new DateOnly(2027, 4, 12), new DateOnly(2027, 7, 21)));
    }

    [Theory]
    [InlineData("2026-12-24", null, "Spring 2027")] // Christmas holiday
    [InlineData("2027-03-28", null, "Summer 2027")] // Easter Sunday, the day the clocks go forward
    [InlineData("2027-08-01", null, "Autumn 2027")] // summer holiday
    [InlineData("2028-02-29", "Spring 2028", "Summer 2028")] // leap day
    [InlineData("2027-09-01", "Autumn 2027", "Spring 2028")]
    public void Each_day_has_a_current_or_next_term_in_this_and_next_years_calendar(string day, string? current, string next)
    {
        var today = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var terms = EnglishSchoolYear.ThisYearAndNext(today);

        terms.SingleOrDefault(t => t.Start <= today && today <= t.End)?.Name.Should().Be(current);
        if (current is null)
        {
            terms.Should().NotContain(t => t.Start <= today && today <= t.End);
        }

        terms.First(t => t.Start > today).Name.Should().Be(next);
    }

    [Fact]
    public void Every_year_from_2000_to_2100_has_three_ordered_terms_of_weekdays_that_do_not_overlap()
    {
        for (var year = 2000; year <= 2100; year++)
        {
            var terms = EnglishSchoolYear.Terms(year);
            terms.Should().HaveCount(3);
            terms.Should().OnlyContain(t => t.Start < t.End && t.Start.DayOfWeek != DayOfWeek.Saturday && t.Start.DayOfWeek != DayOfWeek.Sunday
                && t.End.DayOfWeek != DayOfWeek.Saturday && t.End.DayOfWeek != DayOfWeek.Sunday);
            terms[0].End.Should().BeBefore(terms[1].Start);
            terms[1].End.Should().BeBefore(terms[2].Start);
            terms[0].Start.Month.Should().Be(9);
            terms[2].End.Month.Should().Be(7);
            terms[2].End.Should().BeBefore(EnglishSchoolYear.Terms(year + 1)[0].Start);
        }
    }

    [Theory]
    [InlineData("2027-06-15T14:30", "Europe/London", "2027-06-15T13:30:00Z")]
    [InlineData("2027-01-15T14:30", "Europe/London", "2027-01-15T14:30:00Z")]
    [InlineData("2027-03-28T01:30", "Europe/London", "2027-03-28T01:30:00Z")]
    [InlineData("2027-10-31T01:30", "Europe/London", "2027-10-31T00:30:00Z")]
    [InlineData("2027-06-15T14:30", "Not/AZone", "2027-06-15T14:30:00Z")]
    [InlineData("2027-06-15T14:30", null, "2027-06-15T14:30:00Z")]
    public void A_time_typed_at_the_school_is_the_instant_it_names_there(string typed, string? zone, string instant)
    {
        // Summer and winter; the hour the clocks skip (01:30 on 28 March 2027 never happens: read with the offset before it);
        // the hour they repeat (01:30 on 31 October 2027 happens twice: the first, in summer time); an unknown zone is UTC.
        var local = DateTime.Parse(typed, System.Globalization.CultureInfo.InvariantCulture);
        PlatformClock.AtLocal(local, zone).Should().Be(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));
    }
}
