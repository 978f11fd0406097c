using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Trust.Platform.Hosting.Time;

/// <summary>
/// The platform's clock (docs/adr/0007). Every service, sweep, consumer and the demo seeder read time from the
/// <see cref="TimeProvider"/> this registers: the system clock, or, outside Production, a clock that starts at
/// <c>Clock:Now</c> and runs forward from there, so a test or a demo can be run on a chosen day.
/// </summary>
public static partial class PlatformClock
{
    /// <summary>The instant the platform clock shows when the process starts (or at <see cref="AnchorKey"/>).</summary>
    public const string NowKey = "Clock:Now";

    /// <summary>
    /// The real instant at which <see cref="NowKey"/> held (default: when the process read it). Processes of one run
    /// given the same anchor share one clock; each process anchoring itself would put them seconds apart.
    /// </summary>
    public const string AnchorKey = "Clock:Anchor";

    /// <summary>The clock for this configuration: the system clock, or the shifted one when <c>Clock:Now</c> is set.</summary>
    /// <exception cref="InvalidOperationException">
    /// <c>Clock:Now</c> is set in Production (a shifted clock there would expire tokens, backdate audit entries and
    /// miss SLA deadlines), or it is not an instant.
    /// </exception>
    public static TimeProvider Create(IConfiguration configuration, IHostEnvironment environment)
    {
        var now = configuration[NowKey];
        if (string.IsNullOrWhiteSpace(now))
        {
            return TimeProvider.System;
        }

        if (environment.IsProduction())
        {
            throw new InvalidOperationException(
                $"{NowKey} is set to '{now}' but the environment is Production: the clock override is for tests and demos only. " +
                "Remove Clock__Now (or run with ASPNETCORE_ENVIRONMENT=Development).");
        }

        var start = ParseInstant(NowKey, now);
        var anchor = configuration[AnchorKey] is { Length: > 0 } text ? ParseInstant(AnchorKey, text) : TimeProvider.System.GetUtcNow();
        return new ShiftedTimeProvider(start - anchor);
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)\s+(?<zone>[A-Za-z_]+(/[A-Za-z0-9_+-]+)*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalInZone();

    /// <summary>
    /// An instant as ISO 8601 with its offset (<c>2026-12-24T09:00:00Z</c>, <c>2027-08-01T09:00:00+01:00</c>), or a
    /// local date and time in an IANA zone (<c>2027-03-28T01:30 Europe/London</c>). A local time the zone skips (the
    /// spring change: 01:00-02:00 in London) is read with the offset in force before the change, so 01:30 is 01:30 GMT,
    /// which the clocks show as 02:30 BST; a repeated one (the autumn change) is its first occurrence. A date or time
    /// with no offset or zone is refused: the machine's own zone would decide what it means.
    /// </summary>
    public static DateTimeOffset ParseInstant(string key, string text)
    {
        text = text.Trim();
        if (LocalInZone().Match(text) is { Success: true } match)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(match.Groups["zone"].Value, out var zone))
            {
                throw Invalid(key, text, $"'{match.Groups["zone"].Value}' is not an IANA time zone.");
            }

            var local = DateTime.ParseExact(match.Groups["local"].Value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"],
                CultureInfo.InvariantCulture, DateTimeStyles.None);
            return new DateTimeOffset(local, OffsetAt(zone, local));
        }

        if (ExplicitOffset().IsMatch(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw Invalid(key, text, "give an ISO 8601 instant with its offset (2026-12-24T09:00:00Z) or a local time and an IANA zone (2027-03-28T01:30 Europe/London).");
    }

    /// <summary>The UTC offset that makes <paramref name="local"/> (a wall-clock time in <paramref name="zone"/>) an instant.</summary>
    public static TimeSpan OffsetAt(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring change: the offset before it (no gap anywhere is longer than a few hours).
            return zone.GetUtcOffset(local.AddHours(-6));
        }

        return zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
    }

    /// <summary>
    /// The calendar date at <paramref name="now"/> where the clocks run in <paramref name="timeZone"/> (an IANA id);
    /// UTC when the zone is unknown to this machine (a day's difference at most, never a wrong school).
    /// </summary>
    public static DateOnly LocalDate(DateTimeOffset now, string? timeZone)
    {
        if (!string.IsNullOrEmpty(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            now = TimeZoneInfo.ConvertTime(now, zone);
        }
        else
        {
            now = now.ToUniversalTime();
        }

        return DateOnly.FromDateTime(now.DateTime);
    }

    /// <summary>The wall-clock time at <paramref name="instant"/> where the clocks run in <paramref name="timeZone"/>; UTC when the zone is unknown.</summary>
    public static DateTimeOffset LocalTime(DateTimeOffset instant, string? timeZone) =>
        !string.IsNullOrEmpty(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? TimeZoneInfo.ConvertTime(instant, zone)
            : instant.ToUniversalTime();

    /// <summary>
    /// The instant a wall-clock time names where the clocks run in <paramref name="timeZone"/> (a form's datetime-local field,
    /// typed at the school); a skipped or repeated hour as <see cref="OffsetAt"/> reads it; UTC when the zone is unknown.
    /// </summary>
    public static DateTimeOffset AtLocal(DateTime local, string? timeZone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return !string.IsNullOrEmpty(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? new DateTimeOffset(local, OffsetAt(zone, local))
            : new DateTimeOffset(local, TimeSpan.Zero);
    }

    /// <summary>
    /// "Today at this school": the one way a service turns the platform clock into a school's date (reviews, expiry,
    /// the current term, retention), in the school's own time zone from the directory.
    /// </summary>
    public static DateOnly TodayAt(this TimeProvider time, string? timeZone) => LocalDate(time.GetUtcNow(), timeZone);

    private static InvalidOperationException Invalid(string key, string text, string why) => new($"{key} '{text}' is not an instant: {why}");
}

/// <summary>
/// The system clock moved by a fixed offset: it starts where <c>Clock:Now</c> says and runs at the real rate, so
/// timeouts, token lifetimes, cache expiry and "within 5 s" behave as they do on the system clock. Timestamps and
/// timers stay the system's (elapsed time is the same on both).
/// </summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// Lets <see cref="MemoryCache"/> expire entries by the platform clock (it predates <see cref="TimeProvider"/> and
/// asks an <c>ISystemClock</c>), so the API key cache and the tenant read caches age with everything else.
/// </summary>
public sealed class TimeProviderCacheClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
