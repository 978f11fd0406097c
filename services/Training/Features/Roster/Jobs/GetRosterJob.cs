using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Roster.Jobs;

/// <summary>GET /v1/schools/{schoolId}/roster/jobs/{jobId}: an import's status, progress and refused rows.</summary>
public static class GetRosterJob
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/roster/jobs/{jobId:guid}", Handle)
            .RequireAccess(TrainingAccess.Managers, Scopes.RosterWrite, Scopes.RosterRead)
            .WithTags("Roster")
            .WithName("GetRosterJob");

    public static async Task<Results<Ok<RosterJobResponse>, NotFound>> Handle(
        Guid schoolId, Guid jobId, HttpContext http, TrainingDbContext db, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, TrainingAccess.Managers))
        {
            return TypedResults.NotFound();
        }

        var job = await db.RosterJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId && j.SchoolId == schoolId, cancellationToken);
        return job is null ? TypedResults.NotFound() : TypedResults.Ok(RosterJobResponse.From(job));
    }
}
