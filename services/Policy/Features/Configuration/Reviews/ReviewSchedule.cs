namespace Trust.Platform.Policy.Features.Configuration.Reviews;

/// <summary>Where a school's policy review stands on a day at the school.</summary>
public enum ReviewStatus
{
    /// <summary>No review date is set.</summary>
    NotSet,

    /// <summary>More than two months away.</summary>
    Ok,

    /// <summary>Inside the two months before the review date.</summary>
    Upcoming,

    /// <summary>Today.</summary>
    Due,

    /// <summary>The review date has passed.</summary>
    Overdue,
}

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

    public static ReviewStatus Status(DateOnly? reviewDate, DateOnly today) => reviewDate switch
    {
        null => ReviewStatus.NotSet,
        { } d when d < today => ReviewStatus.Overdue,
        { } d when d == today => ReviewStatus.Due,
        { } d when d.AddMonths(-2) <= today => ReviewStatus.Upcoming,
        _ => ReviewStatus.Ok,
    };

    /// <summary>The status as the API writes it (<c>not_set</c>, <c>overdue</c>).</summary>
    public static string Name(ReviewStatus status) => Data.Tenancy.TenantDbContext.SnakeCase(status.ToString());
}
