using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Cases.Search;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.List;

public sealed class ListCasesQuery : CaseFilterQuery
{
    public Guid SchoolId { get; init; }
}

public sealed class ListCasesValidator : CaseFilterValidator<ListCasesQuery>;

/// <summary>A school's cases the caller may see (own reports as receipts), filtered by <see cref="CaseFilterQuery"/>.</summary>
public sealed class ListCases(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<ListCasesQuery, Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/cases");
        Allow(RoleSets.AnyoneInSchool);
        Document("Cases", "List a school's cases",
            "The cases the case rules let the caller read, whole (`view: full`), and the caller's own reports as receipts (`view: receipt`); a case " +
            "about the caller is never listed. Listing restricted cases is audited. Ordered by id (the order cases were filed), cursor-paginated. " +
            "Filters, all optional and combined with AND: `type`, `status` (open, closed), `reportedFrom`/`reportedTo` (the school's calendar days " +
            "in its own time zone, both inclusive), `subject` (a staff member's roster id or a pupil's MIS id), `assignedRole` (where the case is " +
            "routed) and `overdue` (`true`: open and past the response deadline, 000 l.102; start the week with it). A filter never widens what " +
            "the caller may see; an unknown type, status or role, or `reportedFrom` after `reportedTo`, is a 400 naming the parameter.");
    }

    public override async Task<Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListCasesQuery query, CancellationToken ct)
    {
        var zone = Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool])
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
        var school = db.Cases.AsNoTracking().Where(c => c.SchoolId == query.SchoolId).Where(CaseVisibility.Readable(viewer));
        var cases = CaseFilters.Apply(school, query, new Dictionary<Guid, string> { [query.SchoolId] = zone });

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
