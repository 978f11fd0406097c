using Trust.Platform.Contracts;

namespace Trust.Platform.Hosting.Time;

/// <summary>
/// Term dates of an English school year, computed from the date, for the demo trust and the tests: a trust sets its
/// real dates (<c>calendar.terms</c>); these follow the usual pattern closely enough that "the current term", "the
/// next term" and "between terms" mean on any day what they mean in a real school.
/// <list type="bullet">
/// <item>the school year starts in September: from 1 September it is that year's, before it the previous year's;</item>
/// <item>autumn: the first Wednesday on or after 1 September to the Friday on or before 20 December;</item>
/// <item>spring: the first weekday on or after 4 January to Good Friday (the Easter holiday follows);</item>
/// <item>summer: two weeks after Easter Monday to the Wednesday on or before 22 July.</item>
/// </list>
/// </summary>
public static class EnglishSchoolYear
{
    /// <summary>The school year (its September's calendar year) that <paramref name="date"/> falls in.</summary>
    public static int YearOf(DateOnly date) => date.Month >= 9 ? date.Year : date.Year - 1;

    /// <summary>The three terms of the school year that starts in September of <paramref name="startYear"/>.</summary>
    public static IReadOnlyList<Term> Terms(int startYear)
    {
        var goodFriday = EasterSunday(startYear + 1).AddDays(-2);
        return
        [
            new($"Autumn {startYear}", OnOrAfter(new DateOnly(startYear, 9, 1), DayOfWeek.Wednesday), OnOrBefore(new DateOnly(startYear, 12, 20), DayOfWeek.Friday)),
            new($"Spring {startYear + 1}", FirstWeekdayOnOrAfter(new DateOnly(startYear + 1, 1, 4)), goodFriday),
            new($"Summer {startYear + 1}", goodFriday.AddDays(17), OnOrBefore(new DateOnly(startYear + 1, 7, 22), DayOfWeek.Wednesday)),
        ];
    }

    /// <summary>This school year's terms and the next year's (six), as a trust publishes them ahead.</summary>
    public static IReadOnlyList<Term> ThisYearAndNext(DateOnly today) => [.. Terms(YearOf(today)), .. Terms(YearOf(today) + 1)];

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    private static DateOnly OnOrAfter(DateOnly date, DayOfWeek day) => date.AddDays(((int)day - (int)date.DayOfWeek + 7) % 7);

    private static DateOnly OnOrBefore(DateOnly date, DayOfWeek day) => date.AddDays(-(((int)date.DayOfWeek - (int)day + 7) % 7));

    private static DateOnly FirstWeekdayOnOrAfter(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(2),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };
}
