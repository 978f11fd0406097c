using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.ListOverdue;

public static class ListOverdueCases
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cases/overdue", Handle)
            .RequireAccess([Roles.TrustAdmin])
            .WithTags("Cases")
            .WithName("ListOverdueCasesTrustWide");

    /// <summary>Trust-wide oversight: every school's open, overdue, unrestricted cases.</summary>
    public static async Task<Results<Ok<Page<CaseSummary>>, ProblemHttpResult>> Handle(
        IncidentsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.Cases.AsNoTracking().Where(c => c.OverdueAt != null && c.Status == CaseStatus.Open && !c.Restricted);
        if (after is { } a)
        {
            query = query.Where(c => c.Id.CompareTo(a) > 0);
        }

        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, c => c.Id.ToString(), c => CaseMapping.Summary(c, full: true)));
    }
}
