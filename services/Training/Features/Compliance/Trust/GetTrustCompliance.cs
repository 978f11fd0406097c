using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.Trust;

/// <summary>GET /v1/compliance: every school the caller may see, side by side (the whole trust for a trust admin or an integration).</summary>
public static class GetTrustCompliance
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/compliance", Handle)
            .RequireAccess(TrainingAccess.Readers, Scopes.ComplianceRead)
            .WithTags("Compliance")
            .WithName("GetTrustCompliance");

    public static async Task<Ok<TrustComplianceResponse>> Handle(
        DateOnly? as_of, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // REVIEW: trust-wide "today" is the UTC date; schools of one trust share a time zone in practice.
        var asOf = as_of ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(await TrustCompliance.BuildAsync(db, http.Principal().SchoolsFor(TrainingAccess.Readers), asOf, cancellationToken));
    }
}
