using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Search;

public sealed class SearchCasesQuery : CaseFilterQuery
{
    /// <summary>Only this school's cases.</summary>
    [QueryParam]
    public Guid? SchoolId { get; init; }
}

public sealed class SearchCasesValidator : CaseFilterValidator<SearchCasesQuery>;

/// <summary>Trust-wide case search for the trust's admins, with the filters of a school's list plus the school.</summary>
public sealed class SearchCases(IncidentsDbContext db) : PlatformEndpoint<SearchCasesQuery, Results<Ok<Page<CaseSummary>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/cases");
        Allow(RoleSets.TrustAdmins);
        Document("Cases", "Search cases across the trust",
            "For the trust's admins: every school's cases, filtered as a school's list is (`type`, `status`, `reportedFrom`/`reportedTo` as each " +
            "school's calendar days in its own time zone, both inclusive, `subject`, `assignedRole`, `overdue`) and by `schoolId`. Restricted " +
            "(safeguarding) cases stay with the DSL and are never listed here, as on the trust-wide overdue list (ADR 0120), even for an admin " +
            "who is a DSL somewhere; a case about the caller is never listed. A school of another trust lists nothing. Ordered by id (the order " +
            "cases were filed), cursor-paginated; for overdue cases first, page `overdue=true` before the rest (a cursor sorted on a flag the SLA " +
            "sweep sets while you page would skip or repeat cases).");
    }

    public override async Task<Results<Ok<Page<CaseSummary>>, ProblemHttpResult>> ExecuteAsync(SearchCasesQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var schools = db.Schools.AsNoTracking();
        if (query.SchoolId is { } only)
        {
            schools = schools.Where(s => s.SchoolId == only);
        }

        var zones = await schools.ToDictionaryAsync(s => s.SchoolId, s => s.TimeZone, ct);
        var viewer = await CaseAccess.ViewerAsync(db, Caller, ct);
        var cases = db.Cases.AsNoTracking().Where(CaseVisibility.OverseenTrustWide(viewer));
        if (query.SchoolId is { } school)
        {
            cases = cases.Where(c => c.SchoolId == school);
        }

        var rows = await CaseFilters.Apply(cases, query, zones).TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, c => CaseMapping.Summary(c, full: true)));
    }
}
