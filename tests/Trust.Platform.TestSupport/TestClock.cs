using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.TestSupport;

/// <summary>
/// The clock of the services under test, for the test code that reasons about "now", "today", "this term" or
/// "overdue": the platform clock override when the run sets one (<c>Clock__Now</c>, docs/adr/0007), else the system
/// clock. Every host a test starts (<see cref="ServiceFactory{TEntry}"/>) is given the same <c>Clock:Now</c> and
/// <c>Clock:Anchor</c>, so the tests and all their services read one clock.
/// </summary>
public static class TestClock
{
    /// <summary>The zone every test school runs in (the catalogue default).</summary>
    public const string SchoolTimeZone = "Europe/London";

    private static readonly (TimeProvider Provider, IReadOnlyDictionary<string, string?> Settings) Clock = Create();

    public static TimeProvider Provider => Clock.Provider;

    /// <summary><c>Clock:Now</c> and <c>Clock:Anchor</c> for a host, or nothing when the run uses the system clock.</summary>
    public static IReadOnlyDictionary<string, string?> HostSettings => Clock.Settings;

    /// <summary>True when the run fixed the clock (the services are not on today's date).</summary>
    public static bool IsShifted => Provider is ShiftedTimeProvider;

    public static DateTimeOffset Now => Provider.GetUtcNow();

    /// <summary>Today where the test schools are (Europe/London), as the services compute it.</summary>
    public static DateOnly Today => PlatformClock.LocalDate(Now, SchoolTimeZone);

    /// <summary>Today in UTC, for the services that still date by UTC (Accounts, the Training expiry sweep).</summary>
    public static DateOnly UtcToday => PlatformClock.LocalDate(Now, "UTC");

    /// <summary>A wall-clock time on <paramref name="date"/> in the schools' zone, as an instant.</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(SchoolTimeZone);
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, PlatformClock.OffsetAt(zone, local)).ToUniversalTime();
    }

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static (TimeProvider, IReadOnlyDictionary<string, string?>) Create()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (string.IsNullOrWhiteSpace(configuration[PlatformClock.NowKey]))
        {
            return (TimeProvider.System, new Dictionary<string, string?>());
        }

        // Anchored once for the whole test process (unless the run gave an anchor), so that hosts started minutes apart
        // still read the same clock as the test code.
        var anchor = configuration[PlatformClock.AnchorKey] is { Length: > 0 } given
            ? PlatformClock.ParseInstant(PlatformClock.AnchorKey, given)
            : TimeProvider.System.GetUtcNow();
        var settings = new Dictionary<string, string?>
        {
            [PlatformClock.NowKey] = configuration[PlatformClock.NowKey],
            [PlatformClock.AnchorKey] = anchor.ToString("O", CultureInfo.InvariantCulture),
        };
        var provider = PlatformClock.Create(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new TestEnvironmentName());
        return (provider, settings);
    }

    private sealed class TestEnvironmentName : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
