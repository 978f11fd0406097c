using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Overdue;

public sealed class OverdueOptions
{
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long before a response deadline the headteacher is warned that it is about to pass. The seeds' SLAs are 24 and
    /// 48 hours (003 l.91, 000 l.102): four hours leaves a working morning or afternoon to answer.
    /// </summary>
    public TimeSpan WarnBefore { get; set; } = TimeSpan.FromHours(4);
}

/// <summary>A school of a trust with at least one open case past its response deadline, or close to it and not yet warned of.</summary>
public readonly record struct DueSchool(Guid TrustId, Guid SchoolId);

/// <summary>
/// Warns the headteacher once when a comment, query or complaint's response deadline is about to pass
/// (<see cref="OverdueOptions.WarnBefore"/>), and flags the case once it has passed (000 l.102), emitting IncidentEscalated
/// with step "overdue" and telling the headteacher again (<see cref="CaseNotices"/>).
/// </summary>
public sealed partial class OverdueScanner(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider time, IOptions<OverdueOptions> options, ILogger<OverdueScanner> logger)
    : TrustSweep<DueSchool>(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.ScanInterval;

    protected override Guid TrustOf(DueSchool due) => due.TrustId;

    /// <summary>The (trust, school) pairs with cases past due or to warn of: the SECURITY DEFINER function lists keys only.</summary>
    protected override async Task<IReadOnlyList<DueSchool>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<DueSchool>();
        await using var command = dataSource.CreateCommand($"SELECT trust_id, school_id FROM {IncidentsDbContext.Schema}.sla_attention_schools($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = now + options.Value.WarnBefore });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueSchool(reader.GetGuid(0), reader.GetGuid(1)));
        }

        return due;
    }

    protected override async Task<int> VisitAsync(IServiceProvider scoped, DueSchool due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<IncidentsDbContext>();
        var warnUntil = now + options.Value.WarnBefore;
        var open = await db.Cases.Where(c => c.SchoolId == due.SchoolId && c.Status == CaseStatus.Open && c.OverdueAt == null && c.DueAt != null &&
                (c.DueAt <= now || (c.DueAt <= warnUntil && c.ResponseWarnedAt == null)))
            .ToListAsync(cancellationToken);
        var cases = open.Where(c => CaseTransitions.BecomesOverdue(c, now)).ToList();
        // One read of the school's people for every case of this visit.
        var people = open.Count == 0 ? null : await CaseNotices.PeopleAtAsync(db, due.SchoolId, now, cancellationToken);
        foreach (var c in cases)
        {
            c.OverdueAt = now;
            CaseAccess.Append(db, c, "overdue", new { dueAt = c.DueAt }, "system", "system", now);
            db.AddEvent(new IncidentEscalated(Guid.CreateVersion7(now), due.TrustId, due.SchoolId, now, c.Id, "overdue", $"Response was due at {c.DueAt:O}.", c.Restricted), c.Id.ToString(), now);
            CaseNotices.Add(db, c, CaseNotice.ResponseOverdue, "overdue", null, people!, now);
        }

        // Not yet due: the headteacher is warned once. A case found already past due is flagged above instead (one notice, not two).
        foreach (var c in open.Where(c => c.OverdueAt is null && c.ResponseWarnedAt is null && c.DueAt > now))
        {
            c.ResponseWarnedAt = now;
            CaseAccess.Append(db, c, "response_due_soon", new { dueAt = c.DueAt }, "system", "system", now);
            CaseNotices.Add(db, c, CaseNotice.ResponseDueSoon, null, null, people!, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            Flagged(logger, due.TrustId, due.SchoolId, cases.Count);
            return cases.Count;
        }
        catch (DbUpdateException)
        {
            // Another replica (or a user) changed one of these cases meanwhile; the next pass sees the new state.
            return 0;
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Flagged {Count} overdue case(s) for trust {TrustId}, school {SchoolId}")]
    private static partial void Flagged(ILogger logger, Guid trustId, Guid schoolId, int count);
}
