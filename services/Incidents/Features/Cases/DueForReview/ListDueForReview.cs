using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.DueForReview;

public sealed class ListDueForReviewQuery : PageQuery
{
    public Guid SchoolId { get; init; }
}

public sealed class ListDueForReviewValidator : PageQueryValidator<ListDueForReviewQuery>;

/// <summary>Closed cases past their retention date and not on legal hold, plus child-protection cases whose retention cannot be computed.</summary>
public sealed class ListDueForReview(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<ListDueForReviewQuery, Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/cases/due-for-review");
        Allow(RoleSets.CaseAuditors);
        Document("Retention", "List cases due for a retention review",
            "Closed cases whose retention date has passed (the school's today) and that are not on legal hold, plus child-protection cases whose " +
            "retention cannot be computed (no date of birth). The DSL sees all of them; the trust admin the unrestricted ones. Listing restricted " +
            "cases is audited. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListDueForReviewQuery query, CancellationToken ct)
    {
        var zone = Caller.CanActForSchool(query.SchoolId, [.. RoleSets.CaseAuditors])
            ? await db.Schools.Where(s => s.SchoolId == query.SchoolId).Select(s => s.TimeZone).FirstOrDefaultAsync(ct)
            : null;
        if (zone is null)
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var viewer = await CaseAccess.ViewerAsync(db, Caller, ct);
        var cases = db.Cases.AsNoTracking().Where(c => c.SchoolId == query.SchoolId)
            .Where(CaseTransitions.DueForReview(time.TodayAt(zone))).Where(CaseVisibility.FullyReadable(viewer));
        var rows = await cases.TakePageAsync(after, size, ct);
        foreach (var c in rows.Take(size).Where(c => c.Restricted))
        {
            CaseAccess.Audit(db, Caller, c, "list", time.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Paging.Build(rows, size, c => CaseMapping.Summary(c, full: true)));
    }
}
