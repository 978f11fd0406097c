using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Approvals.List;

public sealed class ListSchoolApprovalsQuery
{
    public Guid SchoolId { get; init; }
}

/// <summary>The school's own approvals of the trust's versions, newest first.</summary>
public sealed class ListSchoolApprovals(PolicyDbContext db) : PlatformEndpoint<ListSchoolApprovalsQuery, Results<Ok<IReadOnlyList<SchoolApprovalResponse>>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/policy/approvals");
        Allow(RoleSets.AnyoneInSchool, Scope.PolicyRead);
        Document("Policy approvals", "List a school's own approvals",
            "Every approval the school recorded of a version of the trust's policy (body, signatory, date, the review date it set), newest approval first: " +
            "the history its document shows beside the trust's versions. At most one per version, so the list is short and not paged.");
        Summary(s => s.ResponseExamples[200] = ContractExample.Of(new[] { ApprovalExamples.OldBasford }));
    }

    public override async Task<Results<Ok<IReadOnlyList<SchoolApprovalResponse>>, NotFound>> ExecuteAsync(ListSchoolApprovalsQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]) || !await db.Schools.AnyAsync(s => s.Id == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var rows = await db.SchoolApprovals.AsNoTracking().Where(a => a.SchoolId == query.SchoolId)
            .Join(db.PolicyVersions.AsNoTracking(), a => a.VersionId, v => v.Id, (a, v) => new { a, v })
            .OrderByDescending(x => x.a.ApprovedOn).ThenByDescending(x => x.v.Major).ThenByDescending(x => x.v.Minor)
            .ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<SchoolApprovalResponse>>(rows.Select(x => SchoolApprovalResponse.From(x.a, x.v)).ToList());
    }
}
