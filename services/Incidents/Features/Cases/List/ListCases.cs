using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.List;

public static class ListCases
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/cases", Handle)
            .RequireAccess(CaseAccess.SchoolRoles)
            .WithTags("Cases")
            .WithName("ListSchoolCases");

    /// <summary>A school's cases the caller may see (own reports as receipts); <c>overdue=true</c> lists the overdue ones.</summary>
    public static async Task<Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, HttpContext http, IncidentsDbContext db, TimeProvider time, bool? overdue, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var p = http.Principal();
        if (!p.CanActForSchool(schoolId, CaseAccess.SchoolRoles) ||
            !await db.Schools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var viewer = await CaseAccess.ViewerAsync(db, p, cancellationToken);
        var query = db.Cases.AsNoTracking().Where(c => c.SchoolId == schoolId).Where(CaseVisibility.Readable(viewer));
        if (overdue == true)
        {
            query = query.Where(c => c.OverdueAt != null && c.Status == CaseStatus.Open);
        }

        if (after is { } a)
        {
            query = query.Where(c => c.Id.CompareTo(a) > 0);
        }

        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var page = Paging.Build(rows, size, c => c.Id.ToString(), c => CaseMapping.Summary(c, CaseVisibility.ViewOf(viewer, c) == CaseView.Full));
        foreach (var c in rows.Take(size).Where(c => c.Restricted && CaseVisibility.ViewOf(viewer, c) == CaseView.Full))
        {
            CaseAccess.Audit(db, p, c, "list", now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(page);
    }
}
