using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Overdue;

public sealed class OverdueOptions
{
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Flags comment, query and complaint cases whose response SLA has passed (000 l.102) and emits IncidentEscalated
/// with step "overdue" once per case. Runs outside any request, so it acts for each trust explicitly.
/// </summary>
public sealed partial class OverdueScanner(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider time, IOptions<OverdueOptions> options, ILogger<OverdueScanner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScanInterval, time);
        do
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                ScanFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: the (trust, school) pairs with cases past due, then each school in its own tenant scope. Returns the cases flagged.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<(Guid Trust, Guid School)>();
        await using (var command = dataSource.CreateCommand($"SELECT trust_id, school_id FROM {IncidentsDbContext.Schema}.sla_due_schools($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        var flagged = 0;
        foreach (var (trust, school) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
            var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
            var cases = await db.Cases.Where(c => c.SchoolId == school && c.Status == CaseStatus.Open && c.OverdueAt == null && c.DueAt != null && c.DueAt <= now)
                .ToListAsync(cancellationToken);
            foreach (var c in cases)
            {
                c.OverdueAt = now;
                CaseAccess.Append(db, c, "overdue", new { dueAt = c.DueAt }, "system", "system", now);
                db.AddEvent(new IncidentEscalated(Guid.CreateVersion7(now), trust, school, now, c.Id, "overdue", $"Response was due at {c.DueAt:O}."), c.Id.ToString(), now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                flagged += cases.Count;
                Flagged(logger, trust, school, cases.Count);
            }
            catch (DbUpdateException)
            {
                // Another replica (or a user) changed one of these cases meanwhile; the next pass sees the new state.
            }
        }

        return flagged;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Flagged {Count} overdue case(s) for trust {TrustId}, school {SchoolId}")]
    private static partial void Flagged(ILogger logger, Guid trustId, Guid schoolId, int count);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Overdue scan failed")]
    private static partial void ScanFailed(ILogger logger, Exception exception);
}
