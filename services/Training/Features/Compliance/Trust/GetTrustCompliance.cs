using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.Trust;

public sealed class GetTrustCompliance(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<ComplianceQuery, Ok<TrustComplianceResponse>>
{
    public override void Configure()
    {
        Get("/v1/compliance");
        Allow(RoleSets.SchoolOversight, Scope.ComplianceRead);
        Document("Compliance", "Compare training compliance across the trust's schools",
            "Every school the caller may see side by side (the whole trust for a trust admin or an unrestricted key), with, per requirement, how " +
            "many people it applies to, how many are done, due and overdue, and the percent compliant. As of today or `asOf`. For leaders and DSLs, " +
            "or a key with compliance:read.");
    }

    public override async Task<Ok<TrustComplianceResponse>> ExecuteAsync(ComplianceQuery query, CancellationToken ct) =>
        TypedResults.Ok(await TrustCompliance.BuildAsync(db, Caller.SchoolsFor([.. RoleSets.SchoolOversight]), query.AsOf, time, ct));
}
