using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Roster.Jobs;

public sealed record GetRosterJobQuery(Guid SchoolId, Guid JobId);

public sealed class GetRosterJob(TrainingDbContext db) : PlatformEndpoint<GetRosterJobQuery, Results<Ok<RosterJobResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/roster/jobs/{jobId:guid}");
        Allow(RoleSets.SchoolLeaders, Scope.RosterWrite, Scope.RosterRead);
        Document("Roster", "Read a roster import",
            "The import's status (succeeded, or succeeded_with_errors when some rows were refused), its counts and the refused rows by row and field. " +
            "Another school's import is a 404.");
        Summary(s => s.ResponseExamples[200] = RosterExamples.Job);
    }

    public override async Task<Results<Ok<RosterJobResponse>, NotFound>> ExecuteAsync(GetRosterJobQuery query, CancellationToken ct)
    {
        var job = await db.RosterJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == query.JobId && j.SchoolId == query.SchoolId && j.Kind == ImportKind.Roster, ct);
        return job is null ? TypedResults.NotFound() : TypedResults.Ok(RosterJobResponse.From(job));
    }
}
