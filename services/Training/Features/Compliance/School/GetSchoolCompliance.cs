using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.School;

/// <summary>GET /v1/schools/{schoolId}/compliance: % compliant per requirement for one school.</summary>
public static class GetSchoolCompliance
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/compliance", Handle)
            .RequireAccess(TrainingAccess.Readers, Scopes.ComplianceRead)
            .WithTags("Compliance")
            .WithName("GetSchoolCompliance");

    public static async Task<Results<Ok<SchoolComplianceResponse>, NotFound>> Handle(
        Guid schoolId, DateOnly? as_of, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var school = await TrainingAccess.SchoolAsync(http, db, schoolId, TrainingAccess.Readers, cancellationToken);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var asOf = as_of ?? TrainingAccess.Today(time, school.TimeZone);
        var counts = await RequirementsQuery.CountsAsync(db, [schoolId], asOf, cancellationToken);
        return TypedResults.Ok(new SchoolComplianceResponse(schoolId, school.Name, asOf, counts.Select(RequirementCompliance.From).ToList()));
    }
}
