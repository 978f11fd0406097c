using Microsoft.EntityFrameworkCore;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Disposal;

public enum DisposalOutcome
{
    Disposed,
    NotFound,
    LegalHold,
    NotDue,
}

/// <summary>What was asked of a disposal, as the tombstone will record it.</summary>
public sealed record DisposalRequest(Guid CaseId, DateOnly Today, DateTimeOffset Now, string Actor, string ActorRole, string Reason);

/// <summary>
/// Disposes of a case: the rows in one transaction (the database's dispose_case, the only code that may delete a case,
/// its timeline and its evidence rows), then its encrypted files. A file that could not be removed stays listed in
/// evidence_files_to_remove, which <see cref="EvidenceRemovalSweep"/> empties.
/// </summary>
public static partial class CaseDisposals
{
    private sealed record Row(string Outcome, string[]? StorageKeys);

    public static async Task<DisposalOutcome> DisposeAsync(
        IncidentsDbContext db, IEvidenceStorage storage, DisposalRequest request, ILogger logger, CancellationToken cancellationToken)
    {
#pragma warning disable EF1002 // the schema is the model's own identifier; every value is a parameter
        var row = (await db.Database.SqlQueryRaw<Row>(
            $"SELECT outcome AS \"Outcome\", storage_keys AS \"StorageKeys\" FROM {IncidentsDbContext.Schema}.dispose_case({{0}}, {{1}}, {{2}}, {{3}}, {{4}}, {{5}}, {{6}})",
            request.CaseId, request.Today, request.Now, Guid.CreateVersion7(request.Now), request.Actor, request.ActorRole, request.Reason)
            .ToListAsync(cancellationToken)).Single();
#pragma warning restore EF1002
        var outcome = row.Outcome switch
        {
            "disposed" => DisposalOutcome.Disposed,
            "legal_hold" => DisposalOutcome.LegalHold,
            "not_due" => DisposalOutcome.NotDue,
            _ => DisposalOutcome.NotFound,
        };
        if (outcome == DisposalOutcome.Disposed)
        {
            Disposed(logger, db.Tenant.TrustId ?? Guid.Empty, request.CaseId, row.StorageKeys?.Length ?? 0);
            // The rows are committed: the files go now, and any that do not stay listed for the sweep.
            await RemoveFilesAsync(db, storage, row.StorageKeys ?? [], logger, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Removes the files and then their rows in evidence_files_to_remove; returns how many were removed.</summary>
    public static async Task<int> RemoveFilesAsync(
        IncidentsDbContext db, IEvidenceStorage storage, IReadOnlyCollection<string> keys, ILogger logger, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var key in keys)
        {
            try
            {
                await storage.DeleteAsync(key, cancellationToken);
                removed.Add(key);
            }
            catch (IOException e)
            {
                FileNotRemoved(logger, db.Tenant.TrustId ?? Guid.Empty, e);
            }
            catch (UnauthorizedAccessException e)
            {
                FileNotRemoved(logger, db.Tenant.TrustId ?? Guid.Empty, e);
            }
        }

        if (removed.Count > 0)
        {
            await db.EvidenceFilesToRemove.Where(f => removed.Contains(f.StorageKey)).ExecuteDeleteAsync(cancellationToken);
        }

        return removed.Count;
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Disposed of case {CaseId} of trust {TrustId} with {Files} evidence file(s)")]
    private static partial void Disposed(ILogger logger, Guid trustId, Guid caseId, int files);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "An evidence file of a disposed case of trust {TrustId} could not be removed; the removal sweep tries again")]
    private static partial void FileNotRemoved(ILogger logger, Guid trustId, Exception exception);
}
