using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Policy.Get;

public sealed record GetTrainingPolicyQuery(Guid SchoolId);

public sealed class GetTrainingPolicy(TrainingDbContext db) : PlatformEndpoint<GetTrainingPolicyQuery, Results<Ok<TrainingPolicyResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/training-policy");
        Allow(RoleSets.AnyoneInSchool, Scope.ComplianceRead, Scope.RosterRead);
        Document("Policy", "Read the school's training settings",
            "The cadences, induction window and calendar terms that requirements are computed from, from the school's latest published policy " +
            "(`source: policy`), or the catalogue defaults until the first publication reaches Training (`source: defaults`). For anyone in the school.");
    }

    public override async Task<Results<Ok<TrainingPolicyResponse>, NotFound>> ExecuteAsync(GetTrainingPolicyQuery query, CancellationToken ct) =>
        await db.SchoolExistsAsync(query.SchoolId, ct)
            ? TypedResults.Ok(await TrainingPolicy.ForSchoolAsync(db, query.SchoolId, ct))
            : TypedResults.NotFound();
}
