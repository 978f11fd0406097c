using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.GetMember;

public sealed class GetMemberQuery
{
    public Guid MemberId { get; init; }
}

public sealed class GetMember(PolicyDbContext db) : PlatformEndpoint<GetMemberQuery, Results<Ok<MemberResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/members/{memberId:guid}");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "Read a member",
            "A trust admin reads any member; a headteacher a member who holds or held a post at their school, or whom they invited. Anyone else's is a 404.");
    }

    public override async Task<Results<Ok<MemberResponse>, NotFound>> ExecuteAsync(GetMemberQuery query, CancellationToken ct)
    {
        var member = await MemberAccess.Visible(db, Caller).AsNoTracking().SingleOrDefaultAsync(m => m.Id == query.MemberId, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(HttpContext.Response, member.Version);
        return TypedResults.Ok(MemberResponse.From(member));
    }
}
