using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.AccessRequests.List;

public sealed class ListAccessRequestsQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    /// <summary><c>pending</c>, <c>approved</c> or <c>refused</c>: only requests in that state (an approver's queue is <c>pending</c>).</summary>
    [FastEndpoints.QueryParam]
    public string? Status { get; init; }
}

public sealed class ListAccessRequestsValidator : PageQueryValidator<ListAccessRequestsQuery>
{
    public ListAccessRequestsValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null or "pending" or "approved" or "refused").WithMessage("Must be pending, approved or refused.");
    }
}

/// <summary>A school's blocked-content access requests, oldest first, cursor-paginated.</summary>
public sealed class ListAccessRequests(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<ListAccessRequestsQuery, Results<Ok<Page<AccessRequestResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/blocked-sites/access-requests");
        Allow(RoleSets.AnyoneInSchool);
        Document("Blocked sites", "List a school's blocked-content access requests",
            "The school's requests in the order they were made, cursor-paginated; `status=pending` is the approver's queue. The school's headteacher, " +
            "DSL, ICT technician and the trust's admins see every request; anyone else in the school sees their own. Another trust's or school's is a 404.");
        Summary(s => s.ResponseExamples[200] = ContractExample.Of(new Page<AccessRequestResponse>([AccessRequestExamples.Approved], null)));
    }

    public override async Task<Results<Ok<Page<AccessRequestResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListAccessRequestsQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]) || !await db.Schools.AnyAsync(s => s.Id == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var requests = db.BlockedContentRequests.AsNoTracking().Where(r => r.SchoolId == query.SchoolId)
            .Where(AccessRequestRules.VisibleTo(AccessRequestAccess.SeesAll(Caller, query.SchoolId), Caller.Subject));
        if (query.Status is { } status)
        {
            var wanted = AccessRequestRules.Parse(status);
            requests = requests.Where(r => r.Status == wanted);
        }

        var now = time.GetUtcNow();
        var rows = await requests.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, r => AccessRequestResponse.From(r, now)));
    }
}
