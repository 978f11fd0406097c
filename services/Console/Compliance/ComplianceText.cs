using System.Globalization;
using Microsoft.Kiota.Abstractions;

namespace Trust.Platform.Console.Compliance;

/// <summary>How training compliance reads on a page: calendar days and percents.</summary>
public static class ComplianceText
{
    /// <summary>A calendar day of the contract (<c>yyyy-MM-dd</c>) as a person reads it: "4 December 2026".</summary>
    public static string Day(Date? day) =>
        day is { } d ? d.DateTime.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")) : "";

    /// <summary>A percent to one decimal as the API gives it ("87.5%").</summary>
    public static string Percent(decimal? percent) => (percent ?? 0m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>Done of total as a percent to one place, as Training rounds it; null when there is nobody to count.</summary>
    public static decimal? Share(int done, int total) => total == 0 ? null : Math.Round(100m * done / total, 1, MidpointRounding.AwayFromZero);
}

/// <summary>The model of <c>_PercentBar</c>: a share met and what it is of (the meter's accessible name).</summary>
public sealed record PercentBar(decimal Percent, string Label);
