using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Domain.People;
using Trust.Platform.Training.Domain.Requirements;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Requirements.Person;

/// <summary>One requirement of the person: the course that satisfies it (none for an acknowledgement), its due date and where they stand.</summary>
public sealed record RequirementResponse(string Requirement, string? CourseCode, DateOnly DueOn, RequirementStatus Status);

public sealed record PersonRequirementsResponse(Guid PersonId, Guid SchoolId, DateOnly AsOf, IReadOnlyList<RequirementResponse> Requirements);

public sealed class ListPersonRequirementsQuery
{
    public Guid SchoolId { get; init; }

    public Guid PersonId { get; init; }

    /// <summary>The day to assess (yyyy-MM-dd): what was due at a term's end, for instance. Today at the school when omitted.</summary>
    [QueryParam]
    public DateOnly? AsOf { get; init; }
}

public sealed class ListPersonRequirements(TrainingDbContext db, TimeProvider time)
    : PlatformEndpoint<ListPersonRequirementsQuery, Results<Ok<PersonRequirementsResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/people/{personId:guid}/requirements");
        Allow(RoleSets.AnyoneInSchool, Scope.ComplianceRead);
        Document("Requirements", "List what a person must do",
            "Each requirement the school's policy and events give this person (induction, refresher, at_risk_pupils for teachers, " +
            "policy_acknowledgement, incident_refresher, platform_training), with its due date and status: done, due, or overdue after the due date " +
            "(003: \"training on the Social Media Policy as part of their new starter induction\"; 002: termly refreshers). As of today at the school, " +
            "or `asOf`. For the school's leaders and DSL, a key with compliance:read, or the person themself; anyone else gets a 404.");
    }

    public override async Task<Results<Ok<PersonRequirementsResponse>, NotFound>> ExecuteAsync(ListPersonRequirementsQuery query, CancellationToken ct)
    {
        if (!PersonVisibility.CanSee(Caller, query.SchoolId, query.PersonId))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == query.SchoolId, ct);
        if (school is null || !await db.People.AnyAsync(p => p.Id == query.PersonId && p.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var asOf = query.AsOf ?? time.TodayAt(school.TimeZone);
        var rows = await RequirementsQuery.ForPersonAsync(db, query.SchoolId, query.PersonId, asOf, ct);
        return TypedResults.Ok(new PersonRequirementsResponse(query.PersonId, query.SchoolId, asOf,
            rows.Select(r => new RequirementResponse(r.Requirement, r.CourseCode, r.DueOn, RequirementRules.StatusOf(r.Satisfied, r.DueOn, asOf))).ToList()));
    }
}
