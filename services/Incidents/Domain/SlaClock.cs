using Trust.Platform.Contracts;

namespace Trust.Platform.Incidents.Domain;

/// <summary>A school's working calendar as the SLA clock needs it: time zone, working days, end of day, closure days.</summary>
/// <remarks>Terms are deliberately absent: the response SLA runs in holidays too (000/003/004 name weekends, not terms).</remarks>
public sealed class SchoolCalendar
{
    public SchoolCalendar(TimeZoneInfo zone, IEnumerable<DayOfWeek> workingDays, TimeOnly endOfDay, IEnumerable<DateOnly> closureDays)
    {
        Zone = zone;
        WorkingDays = workingDays.ToHashSet();
        if (WorkingDays.Count == 0)
        {
            throw new ArgumentException("A calendar needs at least one working day.", nameof(workingDays));
        }

        EndOfDay = endOfDay;
        ClosureDays = closureDays.ToHashSet();
    }

    public TimeZoneInfo Zone { get; }

    public IReadOnlySet<DayOfWeek> WorkingDays { get; }

    public TimeOnly EndOfDay { get; }

    public IReadOnlySet<DateOnly> ClosureDays { get; }

    public static SchoolCalendar From(CalendarSettings settings) => new(
        TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone), settings.WorkingDays, settings.EndOfDay, settings.ClosureDays);

    /// <summary>A working day is a working weekday that is not a closure day (trust or school closure).</summary>
    public bool IsWorkingDay(DateOnly day) => WorkingDays.Contains(day.DayOfWeek) && !ClosureDays.Contains(day);

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The first working day strictly after <paramref name="day"/>.</summary>
    public DateOnly NextWorkingDay(DateOnly day)
    {
        // Closure days are finite, working days recur weekly: ten years is far more than any calendar needs.
        for (var i = 1; i <= 3660; i++)
        {
            var candidate = day.AddDays(i);
            if (IsWorkingDay(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The calendar has no working day in the next ten years.");
    }

    /// <summary>End of the working day <paramref name="day"/> as an instant (a local time in a DST gap moves forward).</summary>
    public DateTimeOffset EndOf(DateOnly day)
    {
        var local = day.ToDateTime(EndOfDay, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        // For an ambiguous local time (the autumn hour) GetUtcOffset gives the standard offset: the later instant.
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}

/// <summary>
/// The response SLA for comments, queries and complaints on school accounts.
/// 000: "responded to within 48 hours (or on the next working day if received at a weekend)";
/// 003/004: the same rule with 24 hours.
/// </summary>
public static class SlaClock
{
    /// <summary>
    /// When a message received at <paramref name="receivedAt"/> must be answered:
    /// on a working day, <paramref name="slaHours"/> of elapsed time later (an absolute duration, so a clock
    /// change does not stretch or shrink it); on a non-working day (weekend or closure day), at the end of the
    /// next working day; and a due time that lands on a non-working day moves to the end of the next working day.
    /// </summary>
    public static DateTimeOffset DueAt(DateTimeOffset receivedAt, int slaHours, SchoolCalendar calendar)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slaHours);
        var receivedDay = calendar.LocalDate(receivedAt);
        if (!calendar.IsWorkingDay(receivedDay))
        {
            // 000: "next working day if received at a weekend"; a closure day counts as a weekend here.
            return calendar.EndOf(calendar.NextWorkingDay(receivedDay)).ToUniversalTime();
        }

        var due = receivedAt.ToUniversalTime().AddHours(slaHours);
        var dueDay = calendar.LocalDate(due);
        return calendar.IsWorkingDay(dueDay) ? due : calendar.EndOf(calendar.NextWorkingDay(dueDay)).ToUniversalTime();
    }
}
