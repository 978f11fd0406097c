using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Disposals;

public sealed class ListDisposalsQuery : PageQuery
{
    public Guid SchoolId { get; init; }
}

public sealed class ListDisposalsValidator : PageQueryValidator<ListDisposalsQuery>;

/// <summary>The tombstones of the school's disposed cases, in the order the cases were received.</summary>
public sealed class ListDisposals(IncidentsDbContext db) : PlatformEndpoint<ListDisposalsQuery, Results<Ok<Page<CaseDisposalResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/case-disposals");
        Allow(RoleSets.CaseAuditors);
        Document("Retention", "List the school's disposed cases",
            "What remains of each disposed case: its id, type (for a restricted case, to the DSL only), the month it was received, when and by whom " +
            "it was disposed and why, and how many timeline entries and evidence files went with it. For the DSL (every case) and the trust's admins " +
            "(cases that were neither restricted nor about the headteacher). Ordered by case id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<CaseDisposalResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListDisposalsQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.CaseAuditors]) || !await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var viewer = await Cases.CaseAccess.ViewerAsync(db, Caller, ct);
        var rows = db.Disposals.AsNoTracking().Where(d => d.SchoolId == query.SchoolId).Where(DisposalVisibility.Readable(viewer));
        if (after is { } afterId)
        {
            rows = rows.Where(d => d.CaseId.CompareTo(afterId) > 0);
        }

        var page = await rows.OrderBy(d => d.CaseId).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.Build(page, size, d => d.CaseId.ToString(), d => CaseDisposalResponse.From(d, viewer)));
    }
}
