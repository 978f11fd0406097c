using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.List;

public sealed class ListCasesQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    /// <summary><c>true</c>: only the open cases past their response deadline.</summary>
    [QueryParam]
    public bool? Overdue { get; init; }
}

public sealed class ListCasesValidator : PageQueryValidator<ListCasesQuery>;

/// <summary>A school's cases the caller may see (own reports as receipts); <c>overdue=true</c> lists the overdue ones.</summary>
public sealed class ListCases(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<ListCasesQuery, Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/cases");
        Allow(RoleSets.AnyoneInSchool);
        Document("Cases", "List a school's cases",
            "The cases the case rules let the caller read, whole (`view: full`), and the caller's own reports as receipts (`view: receipt`); a case " +
            "about the caller is never listed. Listing restricted cases is audited. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListCasesQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]) || !await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var viewer = await CaseAccess.ViewerAsync(db, Caller, ct);
        var cases = db.Cases.AsNoTracking().Where(c => c.SchoolId == query.SchoolId).Where(CaseVisibility.Readable(viewer));
        if (query.Overdue == true)
        {
            cases = cases.Where(CaseTransitions.IsOverdue);
        }

        var rows = await cases.TakePageAsync(after, size, ct);
        var now = time.GetUtcNow();
        var page = Paging.Build(rows, size, c => CaseMapping.Summary(c, CaseVisibility.ViewOf(viewer, c) == CaseView.Full));
        foreach (var c in rows.Take(size).Where(c => c.Restricted && CaseVisibility.ViewOf(viewer, c) == CaseView.Full))
        {
            CaseAccess.Audit(db, Caller, c, "list", now);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(page);
    }
}
