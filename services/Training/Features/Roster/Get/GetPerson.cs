using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Domain.People;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Roster.Get;

public sealed record GetPersonQuery(Guid SchoolId, Guid PersonId);

public sealed class GetPerson(TrainingDbContext db) : PlatformEndpoint<GetPersonQuery, Results<Ok<PersonResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/people/{personId:guid}");
        Allow(RoleSets.AnyoneInSchool, Scope.RosterRead);
        Document("Roster", "Read a person on the roster",
            "For the school's leaders and DSL, a key with roster:read, or the person themself (their token's staff id). Anyone else, and another " +
            "school's person, is a 404.");
        Summary(s => s.ResponseExamples[200] = RosterExamples.Person);
    }

    public override async Task<Results<Ok<PersonResponse>, NotFound>> ExecuteAsync(GetPersonQuery query, CancellationToken ct)
    {
        if (!PersonVisibility.CanSee(Caller, query.SchoolId, query.PersonId))
        {
            return TypedResults.NotFound();
        }

        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == query.PersonId && p.SchoolId == query.SchoolId, ct);
        return person is null ? TypedResults.NotFound() : TypedResults.Ok(PersonResponse.From(person));
    }
}
