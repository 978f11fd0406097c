namespace Trust.Platform.Policy.Features.Configuration.Reviews;

/// <summary>DESIGN.md: reminders fall due 2 months, 1 month and 1 week before the review date, and on it.</summary>
public static class ReviewSchedule
{
    public static IReadOnlyList<(string Reminder, DateOnly DueOn)> Reminders(DateOnly reviewDate) =>
    [
        ("2_months", reviewDate.AddMonths(-2)),
        ("1_month", reviewDate.AddMonths(-1)),
        ("1_week", reviewDate.AddDays(-7)),
        ("due", reviewDate),
    ];

    /// <summary><c>not_set</c>, <c>ok</c>, <c>upcoming</c> (inside the 2-month window), <c>due</c> (today) or <c>overdue</c>.</summary>
    public static string Status(DateOnly? reviewDate, DateOnly today) => reviewDate switch
    {
        null => "not_set",
        { } d when d < today => "overdue",
        { } d when d == today => "due",
        { } d when d.AddMonths(-2) <= today => "upcoming",
        _ => "ok",
    };
}
