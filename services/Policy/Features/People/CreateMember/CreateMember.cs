using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.People.CreateMember;

public sealed class CreateMemberCommand
{
    [FromBody]
    public MemberRequest Body { get; init; } = null!;
}

/// <summary>A trust admin or a headteacher invites a person into the trust; their posts come with appointments.</summary>
public sealed class CreateMember(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<CreateMemberCommand, Results<Created<MemberResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/members");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "Invite a member",
            "Registers a person of the trust: their name, email, and the OIDC subject (and optionally issuer) they sign in with, so that every " +
            "service gives them the roles of their appointments. For the trust's admins and headteachers; a headteacher then appoints them at " +
            "their own school. An email, sign-in or roster id another member has is refused on that field. With an Idempotency-Key, a retry " +
            "returns the member created the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per person to invite: a retry with it returns the member created the first time.");
        Summary(s => s.ExampleRequest = new MemberRequest("Computing Lead, Mellers Primary", "computing.lead@mellers.example", "3f1c0e8a-computing-lead"));
    }

    public override async Task<Results<Created<MemberResponse>, ProblemHttpResult>> ExecuteAsync(CreateMemberCommand command, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var member = new TrustMember
        {
            Id = Guid.CreateVersion7(now), TrustId = db.Tenant.TrustId!.Value, Roles = [], CreatedAt = now, UpdatedAt = now, InvitedBy = Caller.Subject,
        };
        command.Body.ApplyTo(member);
        if (await MemberUniqueness.ProblemAsync(db, member, ct) is { } taken)
        {
            return taken;
        }

        db.TrustMembers.Add(member);
        PeopleEvents.Member(db, member, now);
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, member.Version);
        return TypedResults.Created($"/v1/members/{member.Id}", MemberResponse.From(member));
    }
}

public sealed class CreateMemberValidator : Validator<CreateMemberCommand>
{
    public CreateMemberValidator() => RuleFor(x => x.Body).SetValidator(new MemberRequestRules());
}

/// <summary>Email, sign-in and roster id each name one member of the trust.</summary>
internal static class MemberUniqueness
{
    public static async Task<ProblemHttpResult?> ProblemAsync(PolicyDbContext db, TrustMember member, CancellationToken ct)
    {
        if (await db.TrustMembers.AnyAsync(m => m.Id != member.Id && m.Email == member.Email, ct))
        {
            return ApiProblem.Invalid("email", "Another member of the trust has this email.");
        }

        if (member.Subject is { } subject &&
            await db.TrustMembers.AnyAsync(m => m.Id != member.Id && m.Subject == subject && (m.Issuer ?? "") == (member.Issuer ?? ""), ct))
        {
            return ApiProblem.Invalid("subject", "Another member of the trust signs in with this subject.");
        }

        if (member.StaffId is { } staffId && await db.TrustMembers.AnyAsync(m => m.Id != member.Id && m.StaffId == staffId, ct))
        {
            return ApiProblem.Invalid("staffId", "Another member of the trust is this roster person.");
        }

        return null;
    }
}
