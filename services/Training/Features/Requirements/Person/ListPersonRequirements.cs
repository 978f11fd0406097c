using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Requirements.Person;

public sealed record RequirementResponse(string Requirement, string? CourseCode, DateOnly DueOn, string Status);

public sealed record PersonRequirementsResponse(Guid PersonId, Guid SchoolId, DateOnly AsOf, IReadOnlyList<RequirementResponse> Requirements);

/// <summary>
/// GET /v1/schools/{schoolId}/people/{personId}/requirements: what this person must do, with due dates and
/// status (due, overdue, done), as of today or <c>as_of</c> (what was due at a term's end, for instance).
/// </summary>
public static class ListPersonRequirements
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/people/{personId:guid}/requirements", Handle)
            .RequireAccess(TrainingAccess.Everyone, Scopes.ComplianceRead)
            .WithTags("Requirements")
            .WithName("ListPersonRequirements");

    public static async Task<Results<Ok<PersonRequirementsResponse>, NotFound>> Handle(
        Guid schoolId, Guid personId, DateOnly? as_of, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var school = await TrainingAccess.PersonScopeAsync(http, db, schoolId, personId, cancellationToken);
        if (school is null || !await db.People.AnyAsync(p => p.Id == personId && p.SchoolId == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var asOf = as_of ?? TrainingAccess.Today(time, school.TimeZone);
        var rows = await RequirementsQuery.ForPersonAsync(db, schoolId, personId, asOf, cancellationToken);
        return TypedResults.Ok(new PersonRequirementsResponse(personId, schoolId, asOf,
            rows.Select(r => new RequirementResponse(r.Requirement, r.CourseCode, r.DueOn, Requirement.Status(r.Satisfied, r.DueOn, asOf))).ToList()));
    }
}
