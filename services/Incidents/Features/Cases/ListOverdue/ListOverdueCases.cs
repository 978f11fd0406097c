using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.ListOverdue;

/// <summary>Trust-wide oversight: every school's open, overdue, unrestricted cases.</summary>
public sealed class ListOverdueCases(IncidentsDbContext db) : PlatformEndpoint<PageQuery, Results<Ok<Page<CaseSummary>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/cases/overdue");
        Allow(RoleSets.TrustAdmins);
        Document("Cases", "List overdue cases across the trust",
            "For the trust's admins: every school's open cases past their response deadline (000 l.102), except restricted (safeguarding) cases, " +
            "which stay with the DSL even when the admin also holds a DSL role somewhere. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<CaseSummary>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var viewer = await CaseAccess.ViewerAsync(db, Caller, ct);
        var cases = db.Cases.AsNoTracking().Where(CaseTransitions.IsOverdue).Where(CaseVisibility.OverseenTrustWide(viewer));
        var rows = await cases.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, c => CaseMapping.Summary(c, full: true)));
    }
}
