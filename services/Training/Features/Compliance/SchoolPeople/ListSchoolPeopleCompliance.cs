using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.SchoolPeople;

public sealed class ListSchoolPeopleComplianceQuery : PeopleComplianceQuery
{
    public Guid SchoolId { get; init; }
}

public sealed class ListSchoolPeopleComplianceValidator : PageQueryValidator<ListSchoolPeopleComplianceQuery>
{
    public ListSchoolPeopleComplianceValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || PeopleComplianceRules.Statuses.Contains(s))
            .WithMessage("Must be overdue, due or all.");
        RuleFor(x => x.Requirement).MaximumLength(50).Must(r => r is null || PeopleComplianceRules.Requirements.Contains(r))
            .WithMessage("Must be one of " + string.Join(", ", PeopleComplianceRules.Requirements) + ".");
    }
}

/// <summary>The people of one school who are behind (or due), on which requirement and since when.</summary>
public sealed class ListSchoolPeopleCompliance(TrainingDbContext db, TimeProvider time)
    : PlatformEndpoint<ListSchoolPeopleComplianceQuery, Results<Ok<PeopleComplianceResponse>, ContentHttpResult, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/compliance/people");
        Allow(RoleSets.SchoolLeaders, Scope.ComplianceRead);
        AlsoAnswers(StatusCodes.Status200OK, PeopleCompliance.CsvType, PeopleCompliance.CsvDescription, PeopleCompliance.CsvMaxLength);
        Document("Compliance", "List the people of a school who are behind on training",
            "One row per person and requirement not met: the requirement (induction, refresher, at_risk_pupils, policy_acknowledgement of the " +
            "current version, incident_refresher, platform_training), its course, the day it was due and how many days overdue, as of today at " +
            "the school or `asOf`. `status`: overdue (the default: behind), due (not yet done, due today or later) or all; `requirement` keeps one. " +
            "Leavers are not listed. Ordered by person, cursor-paginated. `Accept: text/csv` answers every matching row as a CSV attachment " +
            "(columns " + string.Join(", ", PeopleCompliance.Columns) + "). The figures are the ones `GET /v1/schools/{schoolId}/compliance` counts. " +
            "For the school's headteacher, the trust's admins, or a key with compliance:read.");
    }

    public override async Task<Results<Ok<PeopleComplianceResponse>, ContentHttpResult, NotFound, ProblemHttpResult>> ExecuteAsync(
        ListSchoolPeopleComplianceQuery query, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == query.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        return await PeopleCompliance.AnswerAsync(db, HttpContext, query, [query.SchoolId], query.AsOf ?? time.TodayAt(school.TimeZone), ct);
    }
}
