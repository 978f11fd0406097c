using System.Globalization;
using Microsoft.Kiota.Abstractions;

namespace Trust.Platform.Console.Compliance;

/// <summary>How training compliance reads on a page: calendar days, and the bar that draws a percent.</summary>
public static class ComplianceText
{
    /// <summary>A calendar day of the contract (<c>yyyy-MM-dd</c>) as a person reads it: "4 December 2026".</summary>
    public static string Day(Date? day) =>
        day is { } d ? d.DateTime.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")) : "";

    /// <summary>A percent to one decimal as the API gives it ("87.5%").</summary>
    public static string Percent(decimal? percent) => (percent ?? 0m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// The class of the bar's filled part (console.css has one per 5%): the CSP allows no inline style, so the width is a
    /// class. The figure beside it is the exact one; the bar only draws it.
    /// </summary>
    public static string BarClass(decimal? percent) =>
        "tp-bar__fill tp-bar__fill--" + ((int)(Math.Round(Math.Clamp(percent ?? 0m, 0m, 100m) / 5m, MidpointRounding.AwayFromZero) * 5)).ToString(CultureInfo.InvariantCulture);
}
