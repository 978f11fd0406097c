using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Reviews;

/// <summary>
/// Each school's next review with its reminders (due dates, whether sent) and an overdue flag; only the caller's
/// schools when it reaches some schools only (a school-restricted key, a chair of one school).
/// </summary>
public static class ListReviews
{
    public sealed record ReminderResponse(string Reminder, DateOnly DueOn, DateTimeOffset? SentAt);

    public sealed record SchoolReview(Guid SchoolId, string SchoolName, DateOnly? NextReviewDate, string Status, bool Overdue, IReadOnlyList<ReminderResponse> Reminders);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/policy/reviews", Handle).RequireAccess(ConfigurationAccess.Oversight, Scopes.PolicyRead).WithTags("Policy reviews").WithName("ListReviews");

    public static async Task<Ok<IReadOnlyList<SchoolReview>>> Handle(HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ComputeAsync(db, time.GetUtcNow(), cancellationToken, http.Principal().SchoolsFor(ConfigurationAccess.Oversight)));

    /// <param name="visible">The schools to compute, or null for every school of the trust.</param>
    public static async Task<IReadOnlyList<SchoolReview>> ComputeAsync(PolicyDbContext db, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlySet<Guid>? visible = null)
    {
        var baseline = await PolicyState.BaselineAsync(db, cancellationToken);
        var overrides = (await db.SchoolOverrides.AsNoTracking().Where(o => o.Key == "review.next_review_date").ToListAsync(cancellationToken))
            .ToDictionary(o => o.SchoolId, o => PolicyState.Parse(o.ValueJson));
        var sent = (await db.ReviewReminders.AsNoTracking().ToListAsync(cancellationToken))
            .ToDictionary(r => (r.SchoolId, r.ReviewDate, r.Reminder), r => r.EmittedAt);
        var schoolsQuery = db.Schools.AsNoTracking();
        if (visible is not null)
        {
            var ids = visible.ToArray();
            schoolsQuery = schoolsQuery.Where(s => ids.Contains(s.Id));
        }

        var schools = await schoolsQuery.OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var result = new List<SchoolReview>();
        foreach (var school in schools)
        {
            var node = overrides.TryGetValue(school.Id, out var o) ? o : baseline["review.next_review_date"].Value;
            var reviewDate = Date(node);
            var today = Today(school.TimeZone, now);
            var reminders = reviewDate is { } d
                ? ReviewSchedule.Reminders(d).Select(r => new ReminderResponse(r.Reminder, r.DueOn, sent.TryGetValue((school.Id, d, r.Reminder), out var at) ? at : null)).ToList()
                : [];
            var status = ReviewSchedule.Status(reviewDate, today);
            result.Add(new SchoolReview(school.Id, school.Name, reviewDate, status, status == "overdue", reminders));
        }

        return result;
    }

    public static DateOnly Today(string timeZone, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);

    private static DateOnly? Date(JsonNode? node) => node is null ? null : DateOnly.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Sends review reminders as PolicyReviewDue events, each once, as they fall due. Runs outside any request:
/// it visits every trust (through policy.trust_ids()) and acts for each one explicitly.
/// </summary>
public sealed partial class ReviewReminderService(IServiceScopeFactory scopes, TimeProvider time, ILogger<ReviewReminderService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Emits every reminder due by now that was not sent yet; returns how many it sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<Guid> trusts;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            trusts = await db.Database.SqlQueryRaw<Guid>("SELECT policy.trust_ids() AS \"Value\"").ToListAsync(cancellationToken);
        }

        var sent = 0;
        foreach (var trustId in trusts)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trustId);
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            var now = time.GetUtcNow();
            var zones = await db.Schools.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.TimeZone, cancellationToken);
            foreach (var review in await ListReviews.ComputeAsync(db, now, cancellationToken))
            {
                var today = ListReviews.Today(zones[review.SchoolId], now);
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
        }

        return sent;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Review reminder run failed")]
    private static partial void Failed(ILogger logger, Exception exception);
}
