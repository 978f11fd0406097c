using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.DueForReview;

public static class ListDueForReview
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/cases/due-for-review", Handle)
            .RequireAccess([Roles.Dsl, Roles.TrustAdmin])
            .WithTags("Retention")
            .WithName("ListCasesDueForReview");

    /// <summary>
    /// Closed cases whose retention date has passed and that are not on legal hold, plus child-protection cases
    /// whose retention cannot be computed (no date of birth). The DSL sees all of them; the trust admin the unrestricted ones.
    /// </summary>
    public static async Task<Results<Ok<Page<CaseSummary>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, HttpContext http, IncidentsDbContext db, TimeProvider time, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var p = http.Principal();
        if (!p.CanActForSchool(schoolId, Roles.Dsl, Roles.TrustAdmin) ||
            !await db.Schools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var viewer = await CaseAccess.ViewerAsync(db, p, cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var query = db.Cases.AsNoTracking().Where(c => c.SchoolId == schoolId && !c.LegalHold &&
            ((c.RetentionUntil != null && c.RetentionUntil <= today && c.Status == CaseStatus.Closed) ||
             (c.RetentionUntil == null && c.Restricted && c.SubjectKind == "pupil")))
            .Where(CaseVisibility.FullyReadable(viewer));
        if (after is { } a)
        {
            query = query.Where(c => c.Id.CompareTo(a) > 0);
        }

        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        foreach (var c in rows.Take(size).Where(c => c.Restricted))
        {
            CaseAccess.Audit(db, p, c, "list", time.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, c => c.Id.ToString(), c => CaseMapping.Summary(c, full: true)));
    }
}
