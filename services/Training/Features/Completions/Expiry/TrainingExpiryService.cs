using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Completions.Expiry;

/// <summary>Wakes the expiry sweep before its next tick (a completion recorded already expired).</summary>
public sealed class ExpirySignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_pulse.CurrentCount == 0)
            {
                _pulse.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}

public sealed class ExpiryOptions
{
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The daily sweep. Emits TrainingExpired once per completion whose expiry date has passed at its school (today in the
/// school's time zone, by the injected <see cref="TimeProvider"/>), so Accounts learns an administrator's training
/// lapsed. The same sweep announces leavers whose leave date arrived between two MIS syncs (StaffLeft, once each).
/// Which trusts have work is asked of SECURITY DEFINER functions; each trust is then visited under RLS
/// (<see cref="TrustSweep{TDue}"/>).
/// </summary>
public sealed partial class TrainingExpiryService(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider time, ExpirySignal signal,
    Microsoft.Extensions.Options.IOptions<ExpiryOptions> options, ILogger<TrainingExpiryService> logger)
    : TrustSweep<Guid>(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override Guid TrustOf(Guid due) => due;

    /// <summary>As the platform's loop, but a completion recorded already expired wakes it at once (<see cref="ExpirySignal"/>).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                SweepFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Trusts with a completion to expire or a leaver to announce. Asked with the latest date anywhere (UTC's tomorrow), so
    /// every school whose own date has moved on is found; the visit then holds each school to its own date.
    /// </summary>
    protected override async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var trusts = new HashSet<Guid>();
        await using var connection = await TenantSession.OpenAsync(dataSource, null, cancellationToken);
        foreach (var function in new[] { "trusts_with_expiring_completions", "trusts_with_due_leavers" })
        {
            await using var command = new NpgsqlCommand($"SELECT trust_id FROM {TrainingDbContext.Schema}.{function}($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = latest });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                trusts.Add(reader.GetGuid(0));
            }
        }

        return [.. trusts];
    }

    protected override async Task<int> VisitAsync(IServiceProvider scoped, Guid trust, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<TrainingDbContext>();
        var zones = await db.Schools.AsNoTracking().Select(s => new { s.SchoolId, s.TimeZone }).ToListAsync(cancellationToken);
        var today = zones.ToDictionary(s => s.SchoolId, s => Time.TodayAt(s.TimeZone));
        var expired = await ExpireAsync(db, trust, today, now, cancellationToken);
        var left = await AnnounceLeaversAsync(db, trust, today, now, cancellationToken);
        Swept(logger, trust, expired, left);
        return expired + left;
    }

    /// <summary>TrainingExpired for each completion whose expiry date is before today at its school.</summary>
    private static async Task<int> ExpireAsync(TrainingDbContext db, Guid trust, Dictionary<Guid, DateOnly> today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = today.Count == 0 ? DateOnly.FromDateTime(now.UtcDateTime) : today.Values.Max();
        var candidates = await db.Completions
            .Where(c => c.ExpiredAt == null && c.ExpiresOn != null && c.ExpiresOn < latest)
            .OrderBy(c => c.Id)
            .Take(5000)
            .ToListAsync(cancellationToken);
        var expired = candidates.Where(c => c.ExpiresOn < today.GetValueOrDefault(c.SchoolId, DateOnly.FromDateTime(now.UtcDateTime))).ToList();
        foreach (var completion in expired)
        {
            completion.ExpiredAt = now;
            db.AddEvent(new TrainingExpired(Guid.CreateVersion7(now), trust, completion.SchoolId, now, completion.PersonId, completion.CourseId,
                completion.CourseCode, completion.ExpiresOn!.Value), completion.PersonId.ToString(), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return expired.Count;
    }

    /// <summary>StaffLeft for everyone whose leave date has come at their school: one statement when the trust's schools share a date.</summary>
    private static async Task<int> AnnounceLeaversAsync(TrainingDbContext db, Guid trust, Dictionary<Guid, DateOnly> today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        var events = new OutboxBatch(db.Tenant, TrainingDbContext.Schema);
        var left = 0;
        var dates = today.Values.Distinct().ToList();
        if (dates.Count == 1)
        {
            left = await RosterUpsert.AnnounceLeaversAsync(connection, npgsqlTransaction, trust, null, dates[0], now, events, cancellationToken);
        }
        else
        {
            foreach (var (school, date) in today)
            {
                left += await RosterUpsert.AnnounceLeaversAsync(connection, npgsqlTransaction, trust, school, date, now, events, cancellationToken);
            }
        }

        await events.WriteAsync(connection, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return left;
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Expired {Expired} training completions and announced {Left} leavers for trust {TrustId}")]
    private static partial void Swept(ILogger logger, Guid trustId, int expired, int left);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Training expiry sweep failed; retrying at the next tick")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
