using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Roster.Get;

/// <summary>GET /v1/schools/{schoolId}/people/{personId}: readers of the school, or the person themself.</summary>
public static class GetPerson
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/people/{personId:guid}", Handle)
            .RequireAccess(TrainingAccess.Everyone, Scopes.RosterRead)
            .WithTags("Roster")
            .WithName("GetPerson");

    public static async Task<Results<Ok<PersonResponse>, NotFound>> Handle(
        Guid schoolId, Guid personId, HttpContext http, TrainingDbContext db, CancellationToken cancellationToken)
    {
        if (await TrainingAccess.PersonScopeAsync(http, db, schoolId, personId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId && p.SchoolId == schoolId, cancellationToken);
        return person is null ? TypedResults.NotFound() : TypedResults.Ok(PersonResponse.From(person));
    }
}
