using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Statistics.Trust;

public sealed class GetTrustCaseStatisticsQuery : StatisticsQueryBase;

public sealed class GetTrustCaseStatisticsValidator : StatisticsQueryValidator<GetTrustCaseStatisticsQuery>;

/// <summary>The trust's case figures for its board, by school.</summary>
public sealed class GetTrustCaseStatistics(IncidentsDbContext db, TimeProvider time)
    : PlatformEndpoint<GetTrustCaseStatisticsQuery, Results<Ok<CaseStatistics>, ContentHttpResult, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/cases/statistics");
        Allow(RoleSets.TrustAdmins, Scope.IncidentsRead);
        AlsoAnswers(StatusCodes.Status200OK, CaseStatisticsEndpoints.Csv, CaseStatisticsEndpoints.CsvDescription, CaseStatisticsEndpoints.CsvMaxLength);
        Document("Statistics", "Read the trust's case statistics",
            "For the trust's admins, or a key with incidents:read (a trust's reporting tool; the figures are all such a key reads, never a " +
            "case; a key restricted to some schools gets theirs): every school's cases received in the months `from` to `to` (`yyyy-MM`, both inclusive, months at each " +
            "school in its own time zone; at most 36): counts by type, by school (every school of the trust, zeros included) and by month, the " +
            "share of response-SLA cases answered (closed) by their deadline, and the median hours to close. " + CaseStatisticsEndpoints.Restricted +
            " `Accept: text/csv` answers the same figures as CSV.");
    }

    public override async Task<Results<Ok<CaseStatistics>, ContentHttpResult, ProblemHttpResult>> ExecuteAsync(GetTrustCaseStatisticsQuery query, CancellationToken ct)
    {
        var granted = Caller.SchoolsFor([.. RoleSets.TrustAdmins]);
        var schools = await db.Schools.AsNoTracking().Where(s => granted == null || granted.Contains(s.SchoolId))
            .OrderBy(s => s.Name).ThenBy(s => s.SchoolId).Select(s => s.SchoolId).ToListAsync(ct);
        var statistics = await CaseStatisticsReport.BuildAsync(db, null, schools, onlyListed: granted is not null,
            StatisticsQueryBase.Month(query.From)!.Value, StatisticsQueryBase.Month(query.To)!.Value, time.GetUtcNow(), ct);
        return await CaseStatisticsEndpoints.AnswerAsync(HttpContext, statistics, "case-statistics");
    }
}
