using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Cases;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Console.Pages.Schools.BlockedSites;

/// <summary>How a blocked-site request's period reads: the form asks for days, so a period that lapses at midnight ends "at the end of" the day before.</summary>
public static class AccessRequestText
{
    public static string Period(AccessRequestResponse request, string? timeZone)
    {
        var from = CaseText.When(request.AllowedFrom, timeZone);
        if (request.AllowedUntil is not { } until)
        {
            return from;
        }

        var local = PlatformClock.LocalTime(until, timeZone);
        return local.TimeOfDay == TimeSpan.Zero
            ? $"{from} to the end of {Written.Date(DateOnly.FromDateTime(local.DateTime).AddDays(-1))}"
            : $"{from} to {CaseText.When(until, timeZone)}";
    }
}
