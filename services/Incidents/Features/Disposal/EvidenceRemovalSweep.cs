using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Disposal;

public sealed class DisposalOptions
{
    /// <summary>How often the files of disposed evidence left behind (a crash between the commit and the removal) are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// Removes the encrypted files of disposed evidence that a disposal could not remove after its commit, so that a
/// disposal is complete even when the process died in between. A file already gone counts as removed; a second pass
/// finds nothing to do.
/// <para>
/// Disposal itself stays a person's decision (POST /v1/cases/{id}/disposal): the policy catalogue has no retention
/// setting that would let a school ask for automatic disposal, so this sweep never disposes of a case.
/// </para>
/// </summary>
public sealed class EvidenceRemovalSweep(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, IEvidenceStorage storage, TimeProvider time, IOptions<DisposalOptions> options,
    ILogger<EvidenceRemovalSweep> logger)
    : TrustSweep<Guid>(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override Guid TrustOf(Guid due) => due;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trusts = new List<Guid>();
        await using var command = dataSource.CreateCommand($"SELECT trust_id FROM {IncidentsDbContext.Schema}.evidence_removal_trusts()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            trusts.Add(reader.GetGuid(0));
        }

        return trusts;
    }

    protected override async Task<int> VisitAsync(IServiceProvider scoped, Guid trustId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<IncidentsDbContext>();
        var keys = await db.EvidenceFilesToRemove.AsNoTracking().OrderBy(f => f.StorageKey).Select(f => f.StorageKey).ToListAsync(cancellationToken);
        return await CaseDisposals.RemoveFilesAsync(db, storage, keys, logger, cancellationToken);
    }
}
