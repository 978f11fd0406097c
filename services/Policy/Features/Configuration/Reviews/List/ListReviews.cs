using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Reviews.List;

public sealed class ListReviews(PolicyDbContext db, TimeProvider time) : PlatformEndpoint<Ok<IReadOnlyList<SchoolReview>>>
{
    public override void Configure()
    {
        Get("/v1/policy/reviews");
        Allow(RoleSets.Governance, Scope.PolicyRead);
        Document("Policy reviews", "List each school's next policy review",
            "Each school's review date (its override of `review.next_review_date`, or the trust's), its status on the day at the school " +
            "(`not_set`, `ok`, `upcoming` inside the two months before, `due`, `overdue`) and the reminders of DESIGN.md (2 months, 1 month and 1 week " +
            "before, and on the day) with when each was sent as PolicyReviewDue. A chair of one school, or a key restricted to some schools, sees only those.");
    }

    public override async Task<Ok<IReadOnlyList<SchoolReview>>> ExecuteAsync(CancellationToken ct) =>
        TypedResults.Ok(await PolicyReviews.ComputeAsync(db, time, ct, Caller.SchoolsFor([.. RoleSets.Governance])));
}
