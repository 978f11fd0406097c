using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Audit;

public static class ListAudit
{
    public sealed record AuditEntryResponse(Guid Id, Guid SchoolId, Guid CaseId, string Actor, string ActorRole, string Action, DateTimeOffset At);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/case-audit", Handle)
            .RequireAccess([Roles.Dsl, Roles.TrustAdmin])
            .WithTags("Audit")
            .WithName("ListCaseAudit");

    /// <summary>Who read or exported the school's restricted cases, oldest first; optionally for one case.</summary>
    public static async Task<Results<Ok<Page<AuditEntryResponse>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, HttpContext http, IncidentsDbContext db, Guid? caseId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, Roles.Dsl, Roles.TrustAdmin) ||
            !await db.Schools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        // Who read a case is part of the case: never shown to its subject (e.g. a headteacher who is also the DSL).
        var viewer = await CaseAccess.ViewerAsync(db, http.Principal(), cancellationToken);
        var cases = db.Cases.Where(c => c.SchoolId == schoolId).Where(CaseVisibility.AuditReadable(viewer)).Select(c => c.Id);
        var query = db.Audit.AsNoTracking().Where(a => a.SchoolId == schoolId && cases.Contains(a.CaseId));
        if (caseId is { } id)
        {
            query = query.Where(a => a.CaseId == id);
        }

        if (after is { } a)
        {
            query = query.Where(x => x.Id.CompareTo(a) > 0);
        }

        var rows = await query.OrderBy(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, a => a.Id.ToString(),
            a => new AuditEntryResponse(a.Id, a.SchoolId, a.CaseId, a.Actor, a.ActorRole, a.Action, a.At)));
    }
}
