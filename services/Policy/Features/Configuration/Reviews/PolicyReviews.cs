using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Domain.SchoolApprovals;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Reviews;

/// <summary>Each school's review date, status on the day at the school, and reminders with whether each was sent.</summary>
public static class PolicyReviews
{
    public const string ReviewDateKey = "review.next_review_date";

    /// <param name="visible">The schools to compute, or null for every school of the trust.</param>
    public static async Task<IReadOnlyList<SchoolReview>> ComputeAsync(
        PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken, IReadOnlySet<Guid>? visible = null)
    {
        var baseline = await PolicyState.BaselineAsync(db, cancellationToken);
        var overrides = (await db.SchoolOverrides.AsNoTracking().Where(o => o.Key == ReviewDateKey).ToListAsync(cancellationToken))
            .ToDictionary(o => o.SchoolId, o => PolicyState.Parse(o.ValueJson));
        var approved = (await db.SchoolApprovals.AsNoTracking().ToListAsync(cancellationToken))
            .GroupBy(a => a.SchoolId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.ApprovedOn)!.NextReviewOn);
        var sent = (await db.ReviewReminders.AsNoTracking().ToListAsync(cancellationToken))
            .ToDictionary(r => (r.SchoolId, r.ReviewDate, r.Reminder), r => r.EmittedAt);
        var schoolsQuery = db.Schools.AsNoTracking();
        if (visible is not null)
        {
            var ids = visible.ToArray();
            schoolsQuery = schoolsQuery.Where(s => ids.Contains(s.Id));
        }

        var result = new List<SchoolReview>();
        foreach (var school in await schoolsQuery.OrderBy(s => s.Name).ToListAsync(cancellationToken))
        {
            var reviewDate = SchoolApprovalRules.ReviewDate(
                overrides.TryGetValue(school.Id, out var own) ? Date(own) : null, approved.TryGetValue(school.Id, out var next) ? next : null, Date(baseline[ReviewDateKey].Value));
            var reminders = reviewDate is { } d
                ? ReviewSchedule.Reminders(d).Select(r => new ReviewReminderResponse(r.Reminder, r.DueOn, sent.TryGetValue((school.Id, d, r.Reminder), out var at) ? at : null)).ToList()
                : [];
            var status = ReviewSchedule.Status(reviewDate, time.TodayAt(school.TimeZone));
            result.Add(new SchoolReview(school.Id, school.Name, reviewDate, status, status == ReviewStatus.Overdue, reminders));
        }

        return result;
    }

    private static DateOnly? Date(JsonNode? node) => node is null ? null : DateOnly.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
