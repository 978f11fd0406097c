using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Policy.Get;

/// <summary>GET /v1/schools/{schoolId}/training-policy: the cadences and terms requirements are computed from, and where they came from.</summary>
public static class GetTrainingPolicy
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/training-policy", Handle)
            .RequireAccess(TrainingAccess.Everyone, Scopes.ComplianceRead, Scopes.RosterRead)
            .WithTags("Policy")
            .WithName("GetTrainingPolicy");

    public static async Task<Results<Ok<TrainingPolicyResponse>, NotFound>> Handle(
        Guid schoolId, HttpContext http, TrainingDbContext db, CancellationToken cancellationToken)
    {
        if (await TrainingAccess.SchoolAsync(http, db, schoolId, TrainingAccess.Everyone, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await TrainingPolicy.ForSchoolAsync(db, schoolId, cancellationToken));
    }
}
