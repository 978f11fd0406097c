using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Completions.Jobs;

public sealed record GetCompletionImportQuery(Guid SchoolId, Guid JobId);

public sealed class GetCompletionImport(TrainingDbContext db) : PlatformEndpoint<GetCompletionImportQuery, Results<Ok<CompletionImportResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/completions/jobs/{jobId:guid}");
        Allow(RoleSets.SchoolLeaders, Scope.TrainingWrite);
        Document("Completions", "Read an import of completions",
            "The import's status (succeeded, or succeeded_with_errors when some rows were refused), how many rows were recorded, how many were " +
            "already on record, and the refused rows by row, field and reason. Another school's import, or a roster sync's job, is a 404. " +
            "For the school's headteacher, the trust's admins, or a key with training:write.");
    }

    public override async Task<Results<Ok<CompletionImportResponse>, NotFound>> ExecuteAsync(GetCompletionImportQuery query, CancellationToken ct)
    {
        var job = await db.RosterJobs.AsNoTracking()
            .SingleOrDefaultAsync(j => j.Id == query.JobId && j.SchoolId == query.SchoolId && j.Kind == ImportKind.Completions, ct);
        return job is null ? TypedResults.NotFound() : TypedResults.Ok(CompletionImportResponse.From(job));
    }
}
