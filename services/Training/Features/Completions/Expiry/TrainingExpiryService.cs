using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
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
/// The daily sweep. Emits TrainingExpired once per completion whose expiry date has passed (by the injected
/// <see cref="TimeProvider"/>), so Accounts learns an administrator's training lapsed. Runs outside any
/// request: it asks a SECURITY DEFINER function which trusts have something to expire, then acts for
/// each trust under RLS in its own transaction. The same sweep announces leavers whose leave date arrived
/// between two MIS syncs (StaffLeft, once each).
/// </summary>
public sealed partial class TrainingExpiryService(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider time, ExpirySignal signal,
    Microsoft.Extensions.Options.IOptions<ExpiryOptions> options, ILogger<TrainingExpiryService> logger) : BackgroundService
{
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
                await signal.WaitAsync(options.Value.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One sweep over every trust; returns the number of TrainingExpired events written.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var trusts = new List<Guid>();
        await using (var connection = await TenantSession.OpenAsync(dataSource, null, cancellationToken))
        await using (var command = new NpgsqlCommand($"SELECT trust_id FROM {TrainingDbContext.Schema}.trusts_with_expiring_completions($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = today });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                trusts.Add(reader.GetGuid(0));
            }
        }

        var total = 0;
        foreach (var trust in trusts)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
            var db = scope.ServiceProvider.GetRequiredService<TrainingDbContext>();
            var now = time.GetUtcNow();
            var expired = await db.Completions
                .Where(c => c.ExpiredAt == null && c.ExpiresOn != null && c.ExpiresOn < today)
                .OrderBy(c => c.Id)
                .Take(5000)
                .ToListAsync(cancellationToken);
            foreach (var completion in expired)
            {
                completion.ExpiredAt = now;
                db.AddEvent(new TrainingExpired(Guid.CreateVersion7(now), trust, completion.SchoolId, now, completion.PersonId, completion.CourseId,
                    completion.CourseCode, completion.ExpiresOn!.Value), completion.PersonId.ToString(), now);
            }

            await db.SaveChangesAsync(cancellationToken);
            total += expired.Count;
            Swept(logger, trust, expired.Count);
        }

        return total + await SweepLeaversAsync(today, cancellationToken);
    }

    /// <summary>Announces leavers whose leave date has come since the last MIS sync (StaffLeft, once each).</summary>
    private async Task<int> SweepLeaversAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var trusts = new List<Guid>();
        await using (var connection = await TenantSession.OpenAsync(dataSource, null, cancellationToken))
        await using (var command = new NpgsqlCommand($"SELECT trust_id FROM {TrainingDbContext.Schema}.trusts_with_due_leavers($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = today });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                trusts.Add(reader.GetGuid(0));
            }
        }

        var total = 0;
        foreach (var trust in trusts)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
            var db = scope.ServiceProvider.GetRequiredService<TrainingDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var events = new OutboxBatch(db.Tenant, TrainingDbContext.Schema);
            var now = time.GetUtcNow();
            var left = await RosterUpsert.AnnounceLeaversAsync(connection, (NpgsqlTransaction)transaction.GetDbTransaction(), trust, null, today,
                now, events, cancellationToken);
            await events.WriteAsync(connection, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += left;
            LeaversSwept(logger, trust, left);
        }

        return total;
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Expired {Count} training completions for trust {TrustId}")]
    private static partial void Swept(ILogger logger, Guid trustId, int count);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Announced {Count} leavers for trust {TrustId}")]
    private static partial void LeaversSwept(ILogger logger, Guid trustId, int count);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Training expiry sweep failed; retrying at the next tick")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
