using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.SchoolPolicies.Get;

public static class GetIncidentPolicy
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/incident-policy", Handle)
            .RequireAccess([Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl])
            .WithTags("Policy")
            .WithName("GetIncidentPolicy");

    /// <summary>What this service currently applies for the school (SLA, calendar, routing) and its source: a published version or the defaults.</summary>
    public static async Task<Results<Ok<EffectivePolicy>, NotFound>> Handle(
        Guid schoolId, HttpContext http, IncidentsDbContext db, TenantReadCache<EffectivePolicy> policies, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl) ||
            await SchoolPolicyView.FindAsync(db, policies, schoolId, cancellationToken) is not { } policy)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(policy);
    }
}
