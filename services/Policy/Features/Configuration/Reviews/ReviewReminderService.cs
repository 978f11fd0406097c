using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Reviews;

/// <summary>
/// Sends review reminders as PolicyReviewDue events, each once, as they fall due on the day at the school. Visits every
/// trust (through policy.trust_ids()) and acts for each one in its own tenant scope.
/// </summary>
public sealed class ReviewReminderService(IServiceScopeFactory scopes, TimeProvider time, ILogger<ReviewReminderService> logger)
    : TrustSweep<Guid>(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken) =>
        await services.GetRequiredService<PolicyDbContext>().Database
            .SqlQueryRaw<Guid>("SELECT policy.trust_ids() AS \"Value\"").ToListAsync(cancellationToken);

    protected override Guid TrustOf(Guid due) => due;

    /// <summary>Emits every reminder of the trust due by today at each school that was not sent yet; returns how many it announced.</summary>
    protected override async Task<int> VisitAsync(IServiceProvider scoped, Guid trustId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<PolicyDbContext>();
        var zones = await db.Schools.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.TimeZone, cancellationToken);
        var sent = 0;
        foreach (var review in await PolicyReviews.ComputeAsync(db, Time, cancellationToken))
        {
            var today = Time.TodayAt(zones[review.SchoolId]);
            var due = review.Reminders.Where(r => r.SentAt is null && r.DueOn <= today).ToList();
            foreach (var reminder in due)
            {
                db.ReviewReminders.Add(new Model.ReviewReminder
                {
                    TrustId = trustId, SchoolId = review.SchoolId, ReviewDate = review.NextReviewDate!.Value, Reminder = reminder.Reminder, EmittedAt = now,
                });
            }

            // When several fell due while the service was down, only the latest is announced; the others are recorded as passed.
            if (due.Count > 0)
            {
                db.AddEvent(new PolicyReviewDue(Guid.CreateVersion7(now), trustId, review.SchoolId, now, review.NextReviewDate!.Value, due[^1].Reminder), "policy:" + review.SchoolId, now);
                sent++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return sent;
    }
}
