using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.TrustPeople;

public sealed class ListTrustPeopleComplianceQuery : PeopleComplianceQuery;

public sealed class ListTrustPeopleComplianceValidator : PageQueryValidator<ListTrustPeopleComplianceQuery>
{
    public ListTrustPeopleComplianceValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || PeopleComplianceRules.Statuses.Contains(s))
            .WithMessage("Must be overdue, due or all.");
        RuleFor(x => x.Requirement).MaximumLength(50).Must(r => r is null || PeopleComplianceRules.Requirements.Contains(r))
            .WithMessage("Must be one of " + string.Join(", ", PeopleComplianceRules.Requirements) + ".");
    }
}

/// <summary>Everyone behind (or due) across the schools the caller leads: the trust for its admins, a headteacher's own school.</summary>
public sealed class ListTrustPeopleCompliance(TrainingDbContext db, TimeProvider time)
    : PlatformEndpoint<ListTrustPeopleComplianceQuery, Results<Ok<PeopleComplianceResponse>, ContentHttpResult, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/compliance/people");
        Allow(RoleSets.SchoolLeaders, Scope.ComplianceRead);
        AlsoAnswers(StatusCodes.Status200OK, PeopleCompliance.CsvType, PeopleCompliance.CsvDescription, PeopleCompliance.CsvMaxLength);
        Document("Compliance", "List the people across the trust who are behind on training",
            "As `GET /v1/schools/{schoolId}/compliance/people`, across every school the caller leads (the whole trust for a trust admin or an " +
            "unrestricted key; a headteacher's own school), ordered by school then person. As of `asOf` or today where the trust's schools are. " +
            "`Accept: text/csv` answers every matching row as a CSV attachment. For headteachers, the trust's admins, or a key with compliance:read.");
    }

    public override async Task<Results<Ok<PeopleComplianceResponse>, ContentHttpResult, NotFound, ProblemHttpResult>> ExecuteAsync(
        ListTrustPeopleComplianceQuery query, CancellationToken ct)
    {
        var visible = Caller.SchoolsFor([.. RoleSets.SchoolLeaders]);
        var asOf = query.AsOf ?? await TrustCompliance.TodayAsync(db, visible, time, ct);
        return await PeopleCompliance.AnswerAsync(db, HttpContext, query, visible?.ToArray(), asOf, ct);
    }
}
