using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.AccessRequests.Get;

public sealed class GetAccessRequestQuery
{
    public Guid SchoolId { get; init; }

    public Guid RequestId { get; init; }
}

/// <summary>One blocked-content access request, to its requester and to those who decide or oversee them.</summary>
public sealed class GetAccessRequest(PolicyDbContext db, TimeProvider time) : PlatformEndpoint<GetAccessRequestQuery, Results<Ok<AccessRequestResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/blocked-sites/access-requests/{requestId:guid}");
        Allow(RoleSets.AnyoneInSchool);
        Document("Blocked sites", "Read a blocked-content access request",
            "The request, its status (`pending`, `approved`, `refused`), whether its allowance is in the feed now (`inForce`), and its decision. " +
            "The requester sees their own; the school's headteacher, DSL, ICT technician and the trust's admins see every request of the school. " +
            "Anyone else's request, and another trust's or school's, is a 404.");
        Summary(s => s.ResponseExamples[200] = ContractExample.Of(AccessRequestExamples.Approved));
    }

    public override async Task<Results<Ok<AccessRequestResponse>, NotFound>> ExecuteAsync(GetAccessRequestQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]))
        {
            return TypedResults.NotFound();
        }

        var request = await db.BlockedContentRequests.AsNoTracking()
            .Where(r => r.SchoolId == query.SchoolId && r.Id == query.RequestId)
            .Where(AccessRequestRules.VisibleTo(AccessRequestAccess.SeesAll(Caller, query.SchoolId), Caller.Subject))
            .SingleOrDefaultAsync(ct);
        return request is null ? TypedResults.NotFound() : TypedResults.Ok(AccessRequestResponse.From(request, time.GetUtcNow()));
    }
}
