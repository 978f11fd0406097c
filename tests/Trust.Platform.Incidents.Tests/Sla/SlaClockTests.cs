using FsCheck;
using FsCheck.Fluent;
using Trust.Platform.Incidents.Domain;

namespace Trust.Platform.Incidents.Tests.Sla;

/// <summary>The response SLA clock (000: 48 h, 003/004: 24 h; next working day at weekends) as pure logic, no servers.</summary>
[Trait("Category", "Unit")]
public sealed class SlaClockTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DayOfWeek[] MondayToFriday = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(2000);

    /// <summary>One generated situation; ToString is what FsCheck prints for a counter-example.</summary>
    public sealed record Case(DateTimeOffset Received, int SlaHours, DayOfWeek[] WorkingDays, DateOnly[] ClosureDays)
    {
        public SchoolCalendar Calendar => new(London, WorkingDays, new TimeOnly(17, 0), ClosureDays);

        public DateTimeOffset Due => SlaClock.DueAt(Received, SlaHours, Calendar);

        public override string ToString() =>
            $"received {TimeZoneInfo.ConvertTime(Received, London):yyyy-MM-dd ddd HH:mm zzz}, {SlaHours} h, working [{string.Join(",", WorkingDays)}], " +
            $"closed [{string.Join(",", ClosureDays)}] -> due {TimeZoneInfo.ConvertTime(Due, London):yyyy-MM-dd ddd HH:mm zzz}";
    }

    /// <summary>The last Sunday of March and of October (Europe/London changes its clocks at 01:00 UTC on those days).</summary>
    private static DateOnly LastSunday(int year, int month)
    {
        var day = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (day.DayOfWeek != DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    private static DateTimeOffset TransitionUtc(int year, int month) =>
        new(LastSunday(year, month).ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero);

    /// <summary>Any minute in 2025-2028, or a minute within four days either side of a clock change (so 24/48 h spans cross it).</summary>
    private static readonly Gen<DateTimeOffset> Instants = Gen.OneOf(
        from minute in Gen.Choose(0, 4 * 366 * 24 * 60)
        select new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minute),
        from year in Gen.Choose(2025, 2028)
        from month in Gen.Elements(3, 10)
        from offset in Gen.Choose(-4 * 24 * 60, 4 * 24 * 60)
        select TransitionUtc(year, month).AddMinutes(offset));

    private static Gen<Case> Cases(Gen<DayOfWeek[]> workingDays) =>
        from received in Instants
        from sla in Gen.Elements(24, 48)
        from working in workingDays
        from closureCount in Gen.Choose(0, 4)
        from closureOffsets in Gen.ArrayOf(Gen.Choose(-1, 10), closureCount)
        let day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(received, London).DateTime)
        select new Case(received, sla, working, closureOffsets.Distinct().Select(o => day.AddDays(o)).ToArray());

    private static readonly Gen<DayOfWeek[]> SomeWorkingDays = Gen.OneOf(
        Gen.Constant(MondayToFriday),
        Gen.Constant(EveryDay),
        from mask in Gen.Choose(1, 127)
        select EveryDay.Where(d => (mask & (1 << (int)d)) != 0).ToArray());

    private static readonly Arbitrary<Case> AnyCase = Cases(SomeWorkingDays).ToArbitrary();

    private static DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    private static TimeOnly LocalTime(DateTimeOffset instant) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    private static bool NoWorkingDayBetween(SchoolCalendar calendar, DateOnly after, DateOnly before)
    {
        for (var d = after.AddDays(1); d < before; d = d.AddDays(1))
        {
            if (calendar.IsWorkingDay(d))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void A_due_time_always_falls_on_a_working_day_and_never_before_receipt() =>
        Check.One(Many, Prop.ForAll(AnyCase, c => c.Calendar.IsWorkingDay(LocalDay(c.Due)) && c.Due > c.Received));

    [Fact]
    public void A_message_on_a_working_day_whose_deadline_is_a_working_day_is_due_exactly_its_sla_hours_of_elapsed_time_later() =>
        Check.One(Many, Prop.ForAll(AnyCase, c =>
        {
            var plain = c.Received.AddHours(c.SlaHours);
            var applies = c.Calendar.IsWorkingDay(LocalDay(c.Received)) && c.Calendar.IsWorkingDay(LocalDay(plain));
            return !applies || c.Due == plain;
        }));

    [Fact]
    public void A_message_on_a_weekend_or_closure_day_is_due_at_the_end_of_the_next_working_day() =>
        Check.One(Many, Prop.ForAll(AnyCase, c =>
        {
            var received = LocalDay(c.Received);
            if (c.Calendar.IsWorkingDay(received))
            {
                return true;
            }

            var due = LocalDay(c.Due);
            return LocalTime(c.Due) == new TimeOnly(17, 0) && due > received && NoWorkingDayBetween(c.Calendar, received, due);
        }));

    [Fact]
    public void A_deadline_falling_on_a_non_working_day_moves_to_the_end_of_the_next_working_day() =>
        Check.One(Many, Prop.ForAll(AnyCase, c =>
        {
            var plainDay = LocalDay(c.Received.AddHours(c.SlaHours));
            if (!c.Calendar.IsWorkingDay(LocalDay(c.Received)) || c.Calendar.IsWorkingDay(plainDay))
            {
                return true;
            }

            var due = LocalDay(c.Due);
            return LocalTime(c.Due) == new TimeOnly(17, 0) && due > plainDay && NoWorkingDayBetween(c.Calendar, plainDay, due);
        }));

    [Fact]
    public void A_working_day_message_is_never_due_sooner_than_its_sla_hours() =>
        Check.One(Many, Prop.ForAll(AnyCase, c =>
            !c.Calendar.IsWorkingDay(LocalDay(c.Received)) || c.Due - c.Received >= TimeSpan.FromHours(c.SlaHours)));

    [Fact]
    public void Across_both_clock_changes_every_day_working_schools_get_exact_elapsed_hours_not_wall_clock_hours() =>
        // Every day working and no closures isolates the elapsed-time rule: only clock changes could move the deadline.
        Check.One(Many, Prop.ForAll(
            (from year in Gen.Choose(2025, 2028)
             from month in Gen.Elements(3, 10)
             from sla in Gen.Elements(24, 48)
             from before in Gen.Choose(1, sla * 60 - 1)
             select new Case(TransitionUtc(year, month).AddMinutes(-before), sla, EveryDay, [])).ToArbitrary(),
            c =>
            {
                var local = TimeZoneInfo.ConvertTime(c.Received, London);
                var localDue = TimeZoneInfo.ConvertTime(c.Due, London);
                var wallClockShift = localDue.Offset - local.Offset; // +1 h in March, -1 h in October
                return c.Due - c.Received == TimeSpan.FromHours(c.SlaHours) &&
                       localDue.DateTime - local.DateTime == TimeSpan.FromHours(c.SlaHours) + wallClockShift &&
                       wallClockShift != TimeSpan.Zero;
            }));

    // Examples ----------------------------------------------------------------------------------

    private static DateTimeOffset At(int y, int m, int d, int h, int min = 0)
    {
        var local = new DateTime(y, m, d, h, min, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, London.GetUtcOffset(local));
    }

    private static SchoolCalendar Weekdays(params DateOnly[] closures) => new(London, MondayToFriday, new TimeOnly(17, 0), closures);

    [Fact]
    public void The_issue_example_holds_a_24_hour_school_receiving_on_saturday_at_ten_is_due_monday_at_five() =>
        // 21 Nov 2026 is a Saturday.
        SlaClock.DueAt(At(2026, 11, 21, 10), 24, Weekdays()).Should().Be(At(2026, 11, 23, 17));

    [Fact]
    public void A_48_hour_school_receiving_on_tuesday_morning_is_due_thursday_morning() =>
        SlaClock.DueAt(At(2026, 11, 17, 9, 30), 48, Weekdays()).Should().Be(At(2026, 11, 19, 9, 30));

    [Fact]
    public void A_friday_message_whose_deadline_lands_on_sunday_is_due_monday_at_five() =>
        SlaClock.DueAt(At(2026, 11, 20, 11), 48, Weekdays()).Should().Be(At(2026, 11, 23, 17));

    [Fact]
    public void A_deadline_on_a_closure_day_moves_past_every_closure_day_to_the_next_working_day() =>
        SlaClock.DueAt(At(2026, 12, 17, 12), 24, Weekdays(new DateOnly(2026, 12, 18), new DateOnly(2026, 12, 21)))
            .Should().Be(At(2026, 12, 22, 17));

    [Fact]
    public void A_message_on_a_closure_day_is_due_at_the_end_of_the_next_working_day() =>
        SlaClock.DueAt(At(2026, 12, 18, 8), 24, Weekdays(new DateOnly(2026, 12, 18))).Should().Be(At(2026, 12, 21, 17));

    [Fact]
    public void On_the_spring_clock_change_weekend_saturday_receipt_is_due_monday_at_five_summer_time() =>
        // 29 Mar 2026: clocks go forward; Monday 17:00 BST is 16:00 UTC.
        SlaClock.DueAt(At(2026, 3, 28, 10), 24, Weekdays()).Should().Be(new DateTimeOffset(2026, 3, 30, 16, 0, 0, TimeSpan.Zero));

    [Fact]
    public void On_the_autumn_clock_change_weekend_saturday_receipt_is_due_monday_at_five_winter_time() =>
        // 25 Oct 2026: clocks go back; Monday 17:00 GMT is 17:00 UTC.
        SlaClock.DueAt(At(2026, 10, 24, 10), 48, Weekdays()).Should().Be(new DateTimeOffset(2026, 10, 26, 17, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Twenty_four_hours_across_the_spring_change_on_a_seven_day_calendar_end_an_hour_later_on_the_wall_clock() =>
        SlaClock.DueAt(At(2026, 3, 28, 12), 24, new SchoolCalendar(London, EveryDay, new TimeOnly(17, 0), []))
            .Should().Be(At(2026, 3, 29, 13));

    [Fact]
    public void Twenty_four_hours_across_the_autumn_change_on_a_seven_day_calendar_end_an_hour_earlier_on_the_wall_clock() =>
        SlaClock.DueAt(At(2026, 10, 24, 12), 24, new SchoolCalendar(London, EveryDay, new TimeOnly(17, 0), []))
            .Should().Be(At(2026, 10, 25, 11));

    [Fact]
    public void The_end_of_day_is_a_setting() =>
        SlaClock.DueAt(At(2026, 11, 21, 10), 24, new SchoolCalendar(London, MondayToFriday, new TimeOnly(16, 30), []))
            .Should().Be(At(2026, 11, 23, 16, 30));
}
