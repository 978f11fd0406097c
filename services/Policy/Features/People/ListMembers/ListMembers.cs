using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.ListMembers;

public sealed class ListMembers(PolicyDbContext db) : PlatformEndpoint<PageQuery, Results<Ok<Page<MemberResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/members");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "List the members the caller sees",
            "Every member for a trust admin; for a headteacher, those who hold or held a post at their school and those they invited. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<MemberResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var rows = await MemberAccess.Visible(db, Caller).AsNoTracking().TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, MemberResponse.From));
    }
}
