using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Features.Cases.Disposals;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Audit;

public sealed record AuditEntryResponse(Guid Id, Guid SchoolId, Guid CaseId, string Actor, string ActorRole, string Action, DateTimeOffset At);

public sealed class ListAuditQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    /// <summary>Only the entries of this case.</summary>
    [QueryParam]
    public Guid? CaseId { get; init; }
}

public sealed class ListAuditValidator : PageQueryValidator<ListAuditQuery>;

/// <summary>Who read or exported the school's restricted cases, oldest first; optionally for one case.</summary>
public sealed class ListAudit(IncidentsDbContext db) : PlatformEndpoint<ListAuditQuery, Results<Ok<Page<AuditEntryResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/case-audit");
        Allow(RoleSets.CaseAuditors);
        Document("Audit", "List who read the school's restricted cases",
            "Every read, list, export and download of the school's restricted cases, and every disposal (action `disposed`): who, through which role, " +
            "when, what; oldest first, optionally for " +
            "one case. For the DSL and the trust's admins; never the entries of a case about the caller. Cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<AuditEntryResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListAuditQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.CaseAuditors]) || !await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        // Who read a case is part of the case: never shown to its subject (e.g. a headteacher who is also the DSL).
        var viewer = await CaseAccess.ViewerAsync(db, Caller, ct);
        var cases = db.Cases.Where(c => c.SchoolId == query.SchoolId).Where(CaseVisibility.AuditReadable(viewer)).Select(c => c.Id);
        // A disposed case's entries (its reads, and its disposal) stay, shown to whom its tombstone is shown.
        var disposed = db.Disposals.Where(d => d.SchoolId == query.SchoolId).Where(DisposalVisibility.Readable(viewer)).Select(d => d.CaseId);
        var entries = db.Audit.AsNoTracking().Where(a => a.SchoolId == query.SchoolId && (cases.Contains(a.CaseId) || disposed.Contains(a.CaseId)));
        if (query.CaseId is { } id)
        {
            entries = entries.Where(a => a.CaseId == id);
        }

        var rows = await entries.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, e => new AuditEntryResponse(e.Id, e.SchoolId, e.CaseId, e.Actor, e.ActorRole, e.Action, e.At)));
    }
}
