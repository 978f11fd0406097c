namespace Trust.Platform.Policy.Features.Configuration.Reviews;

/// <summary>A reminder of a school's review: <c>2_months</c>, <c>1_month</c>, <c>1_week</c> or <c>due</c>, when it falls due and when it was sent.</summary>
/// <param name="SentAt">When PolicyReviewDue announced it; null until it falls due (a reminder that fell due with a later one is recorded as passed).</param>
public sealed record ReviewReminderResponse(string Reminder, DateOnly DueOn, DateTimeOffset? SentAt);

/// <summary>A school's next policy review, at the school's own date.</summary>
/// <param name="NextReviewDate">The school's <c>review.next_review_date</c> override, else the date its latest approval set (approval date plus its review cycle), else the trust's value.</param>
/// <param name="Overdue">True when the review date has passed (the same as <c>status = overdue</c>).</param>
public sealed record SchoolReview(
    Guid SchoolId, string SchoolName, DateOnly? NextReviewDate, ReviewStatus Status, bool Overdue, IReadOnlyList<ReviewReminderResponse> Reminders);
