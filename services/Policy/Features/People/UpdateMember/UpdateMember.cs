using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.People.CreateMember;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.UpdateMember;

public sealed class UpdateMemberCommand
{
    public Guid MemberId { get; init; }

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public MemberRequest Body { get; init; } = null!;
}

public sealed class UpdateMember(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<UpdateMemberCommand, Results<Ok<MemberResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/members/{memberId:guid}");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "Replace a member's record",
            "Changes the name, email, sign-in or roster id; every service hears of it from MemberChanged. Send the ETag last read in If-Match " +
            "(428 without, 412 when stale). A headteacher changes only members whose current posts are all at their school (403 " +
            "`member_beyond_school` otherwise); a member they do not see is a 404.");
        Problems(412, 428);
    }

    public override async Task<Results<Ok<MemberResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(UpdateMemberCommand command, CancellationToken ct)
    {
        var member = await MemberAccess.Visible(db, Caller).SingleOrDefaultAsync(m => m.Id == command.MemberId, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        if (!await MemberAccess.MayChangeAsync(db, Caller, member.Id, ct))
        {
            return ApiProblem.Forbidden(MemberAccess.MemberBeyondSchool, "This member holds posts beyond your school",
                "The member holds a post at another school or across the trust: the trust's admins change their record.");
        }

        if (ETags.Check(command.IfMatch, member.Version) is { } precondition)
        {
            return precondition;
        }

        command.Body.ApplyTo(member);
        if (await MemberUniqueness.ProblemAsync(db, member, ct) is { } taken)
        {
            return taken;
        }

        var now = time.GetUtcNow();
        member.Version++;
        member.UpdatedAt = now;
        PeopleEvents.Member(db, member, now);
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, member.Version);
        return TypedResults.Ok(MemberResponse.From(member));
    }
}

public sealed class UpdateMemberValidator : Validator<UpdateMemberCommand>
{
    public UpdateMemberValidator() => RuleFor(x => x.Body).SetValidator(new MemberRequestRules());
}
