using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.SchoolPolicies.Get;

public sealed record GetIncidentPolicyQuery(Guid SchoolId);

/// <summary>What this service currently applies for the school (SLA, calendar, routing) and its source: a published version or the defaults.</summary>
public sealed class GetIncidentPolicy(IncidentsDbContext db, TenantReadCache<EffectivePolicy> policies) : PlatformEndpoint<GetIncidentPolicyQuery, Results<Ok<EffectivePolicy>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/incident-policy");
        Allow(RoleSets.SchoolOversight);
        Document("Policy", "Read the incident policy a school runs on",
            "The response SLA (e.g. Mellers Primary's 24 hours, 003 l.91), calendar and routing contacts this service applies to the school's cases, " +
            "and their source: the published policy version, or the catalogue defaults until the first publication arrives.");
        // Mellers Primary (003): its override of the trust's response SLA, 24 hours, next working day at a weekend (l.91), and
        // its e-safety team as the seed names it (l.73).
        var mellers = new EffectivePolicy(PolicyDefaults.Calendar("Europe/London"), new SlaSettings(24, "end_of_next_working_day"),
            PolicyDefaults.Routing with
            {
                ESafetyTeam = [new NamedPerson("Jo Kervick", "Computing Lead"), new NamedPerson("Gary Phillips", "IT technician"), new NamedPerson("Jo Travis", "SBM")],
            },
            "policy 2.0");
        Summary(s => s.ResponseExamples[200] = ContractExample.Of(mellers));
    }

    public override async Task<Results<Ok<EffectivePolicy>, NotFound>> ExecuteAsync(GetIncidentPolicyQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SchoolOversight]) ||
            await SchoolPolicyView.FindAsync(db, policies, query.SchoolId, ct) is not { } policy)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(policy);
    }
}
