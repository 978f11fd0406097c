using System.Globalization;

namespace Trust.Platform.Hosting.Time;

/// <summary>
/// How a date or an instant is written for people (mail, notices, policy documents, the console): British English, the day
/// before the month ("5 December 2026", as GOV.UK writes dates), and an instant as the clocks read it where the reader is
/// (a school's zone from the directory, or the trust's), never in UTC. One way of doing it, so that a headteacher reads the
/// same date the same way on a page, in a mail and in the printed policy.
/// </summary>
public static class Written
{
    /// <summary>British English (en-GB): month and day names, for a format of its own ("HH:mm 'on' dddd d MMMM yyyy").</summary>
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The zone a trust-wide date or time is read in (the trust's documents, its API keys): England's.</summary>
    public const string TrustTimeZone = "Europe/London";

    /// <summary>"5 December 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", English);

    /// <summary>"5 December 2026 14:30", as the clocks read it in <paramref name="timeZone"/> (UTC when the zone is unknown).</summary>
    public static string DateAndTime(DateTimeOffset instant, string? timeZone) =>
        PlatformClock.LocalTime(instant, timeZone).ToString("d MMMM yyyy HH:mm", English);

    /// <summary>"5 Dec 2026 14:30", for a table's narrow column, as the clocks read it in <paramref name="timeZone"/>.</summary>
    public static string ShortDateAndTime(DateTimeOffset instant, string? timeZone) =>
        PlatformClock.LocalTime(instant, timeZone).ToString("d MMM yyyy HH:mm", English);
}
