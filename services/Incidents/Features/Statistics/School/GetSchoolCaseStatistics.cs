using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Statistics.School;

public sealed class GetSchoolCaseStatisticsQuery : StatisticsQueryBase
{
    public Guid SchoolId { get; init; }
}

public sealed class GetSchoolCaseStatisticsValidator : StatisticsQueryValidator<GetSchoolCaseStatisticsQuery>;

/// <summary>A school's case figures for its governing body.</summary>
public sealed class GetSchoolCaseStatistics(IncidentsDbContext db, TimeProvider time)
    : PlatformEndpoint<GetSchoolCaseStatisticsQuery, Results<Ok<CaseStatistics>, ContentHttpResult, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/cases/statistics");
        Allow(RoleSets.CaseRecordKeepers, Scope.IncidentsRead);
        AlsoAnswers(StatusCodes.Status200OK, CaseStatisticsEndpoints.Csv, CaseStatisticsEndpoints.CsvDescription, CaseStatisticsEndpoints.CsvMaxLength);
        Document("Statistics", "Read a school's case statistics",
            "For the school's headteacher and DSL, the chair and the trust admin, or a key with incidents:read (a trust's reporting tool; " +
            "the figures are all such a key reads, never a case): the school's cases received in the months `from` to `to` " +
            "(`yyyy-MM`, both inclusive, months at the school in its own time zone; at most 36): counts by type and by month, the share of " +
            "response-SLA cases answered (closed) by their deadline, and the median hours to close. " + CaseStatisticsEndpoints.Restricted +
            " `Accept: text/csv` answers the same figures as CSV. Another trust's or school's figures are a 404.");
    }

    public override async Task<Results<Ok<CaseStatistics>, ContentHttpResult, ProblemHttpResult>> ExecuteAsync(GetSchoolCaseStatisticsQuery query, CancellationToken ct)
    {
        var known = Caller.CanActForSchool(query.SchoolId, [.. RoleSets.CaseRecordKeepers])
            && await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct);
        if (!known)
        {
            return CaseStatisticsEndpoints.NotFound(HttpContext);
        }

        var statistics = await CaseStatisticsReport.BuildAsync(db, query.SchoolId, [query.SchoolId], onlyListed: true,
            StatisticsQueryBase.Month(query.From)!.Value, StatisticsQueryBase.Month(query.To)!.Value, time.GetUtcNow(), ct);
        return await CaseStatisticsEndpoints.AnswerAsync(HttpContext, statistics, $"case-statistics-{query.SchoolId}");
    }
}
