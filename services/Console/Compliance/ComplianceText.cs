using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Kiota.Abstractions;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Console.Compliance;

/// <summary>How training compliance reads on a page: calendar days and percents.</summary>
public static class ComplianceText
{
    /// <summary>A calendar day of the contract (<c>yyyy-MM-dd</c>) as a person reads it: "4 December 2026".</summary>
    public static string Day(Date? day) =>
        day is { } d ? Written.Date(DateOnly.FromDateTime(d.DateTime)) : "";

    /// <summary>A percent to one decimal as the API gives it ("87.5%").</summary>
    public static string Percent(decimal? percent) => (percent ?? 0m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// A share met as a bar: a <c>&lt;meter&gt;</c> (exact, announced as its figure by assistive technology; no inline
    /// style, which the CSP refuses), red below 80%, amber below 95%. <paramref name="label"/> is its accessible name. A
    /// tag builder, not a partial view: the dashboard draws one per school, and 500 partials cost tens of milliseconds.
    /// </summary>
    public static IHtmlContent Bar(decimal percent, string label)
    {
        var meter = new TagBuilder("meter");
        meter.AddCssClass("tp-bar");
        meter.Attributes["min"] = "0";
        meter.Attributes["max"] = "100";
        meter.Attributes["low"] = "80";
        meter.Attributes["high"] = "95";
        meter.Attributes["optimum"] = "100";
        meter.Attributes["value"] = percent.ToString(CultureInfo.InvariantCulture);
        meter.Attributes["aria-label"] = label;
        meter.InnerHtml.Append(Percent(percent));
        return meter;
    }

    /// <summary>Done of total as a percent to one place, as Training rounds it; null when there is nobody to count.</summary>
    public static decimal? Share(int done, int total) => total == 0 ? null : Math.Round(100m * done / total, 1, MidpointRounding.AwayFromZero);
}

