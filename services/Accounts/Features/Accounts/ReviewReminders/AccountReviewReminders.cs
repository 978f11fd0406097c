using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Features.Accounts.ReviewReminders;

/// <summary>
/// Sends account review reminders as AccountReviewDue events, each once, as they fall due on the day at the account's school
/// (two weeks before, on the date, overdue the day after), as Policy's review reminders are sent. Asks a SECURITY DEFINER
/// function which trusts have one coming, then acts for each trust in its own tenant scope.
/// </summary>
public sealed class AccountReviewReminders(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider time, ILogger<AccountReviewReminders> logger)
    : TrustSweep<Guid>(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Guid TrustOf(Guid due) => due;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The latest date any school can be on (UTC+14): each school's own day is then decided in VisitAsync.
        var latest = DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));
        var trusts = new List<Guid>();
        await using var command = dataSource.CreateCommand($"SELECT trust_id FROM {AccountsDbContext.Schema}.trusts_with_account_reviews($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = latest });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            trusts.Add(reader.GetGuid(0));
        }

        return trusts;
    }

    /// <summary>Records every reminder due by today at each account's school that was not sent yet; returns how many events it announced.</summary>
    protected override async Task<int> VisitAsync(IServiceProvider scoped, Guid trustId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<AccountsDbContext>();
        var zones = await db.Schools.AsNoTracking().ToDictionaryAsync(s => s.SchoolId, s => s.TimeZone, cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.Status != AccountStatus.Closed && a.ReviewDate != null).ToListAsync(cancellationToken);
        var ids = accounts.Select(a => a.Id).ToArray();
        var sent = (await db.ReviewReminders.AsNoTracking().Where(r => ids.Contains(r.AccountId)).ToListAsync(cancellationToken))
            .ToLookup(r => (r.AccountId, r.ReviewDate), r => r.Reminder);
        var announced = 0;
        foreach (var account in accounts)
        {
            var reviewDate = account.ReviewDate!.Value;
            var today = Time.TodayAt(zones.GetValueOrDefault(account.SchoolId));
            var due = AccountReviews.Unsent(reviewDate, today, [.. sent[(account.Id, reviewDate)]]);
            foreach (var reminder in due)
            {
                db.ReviewReminders.Add(new AccountReviewReminder { TrustId = trustId, AccountId = account.Id, ReviewDate = reviewDate, Reminder = reminder, EmittedAt = now });
            }

            // When several fell due while the service was down, only the latest is announced; the others are recorded as passed.
            if (due.Count > 0)
            {
                db.AddEvent(new AccountReviewDue(Guid.CreateVersion7(now), trustId, account.SchoolId, now, account.Id, account.Platform, account.Handle, reviewDate, due[^1]),
                    account.Id.ToString(), now);
                announced++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return announced;
    }
}
