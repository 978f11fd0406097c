using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.AccessRequests.Decide;

/// <param name="Approved">True to approve (the site is allowed for the period), false to refuse.</param>
/// <param name="Reason">Why: the record of the decision (002 Appendix A: the approver's comments).</param>
public sealed record DecideAccessRequestRequest(bool Approved, string Reason);

public sealed class DecideAccessRequestCommand
{
    public Guid SchoolId { get; init; }

    public Guid RequestId { get; init; }

    [FromBody]
    public DecideAccessRequestRequest Body { get; init; } = null!;
}

public sealed class DecideAccessRequestValidator : Validator<DecideAccessRequestCommand>
{
    public DecideAccessRequestValidator()
    {
        RuleFor(x => x.Body.Reason).NotEmpty().WithMessage("Required.").MaximumLength(2000);
    }
}

/// <summary>The role the school's policy names approves or refuses a request, once; an approval is an allowance in the feed until it lapses.</summary>
public sealed class DecideAccessRequest(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<DecideAccessRequestCommand, Results<Ok<AccessRequestResponse>, NotFound, ProblemHttpResult>>
{
    public const string ApproverKey = "blocked_sites.access_approver";

    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/blocked-sites/access-requests/{requestId:guid}/decision");
        Allow(RoleSets.BlockedContentApprovers);
        Document("Blocked sites", "Approve or refuse a blocked-content access request",
            "Only the role the school's `blocked_sites.access_approver` names decides (`headteacher` by default, 002 l.245-247: \"approved by the " +
            "headteacher/principal\"; a trust may name `dsl` or `ict_technician`): another of these roles at the school is a 403 naming the rule. " +
            "An approval lists the site as an allowance in the school's blocked-sites feed from `allowedFrom` until `allowedUntil`, when it lapses by " +
            "itself. A request is decided once: deciding it again is a 409 with its `state`, and approving one whose period has ended is a 409 " +
            "(`state` lapsed). Another trust's or school's request is a 404.");
        Problems(409);
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(new DecideAccessRequestRequest(true, "Supervised lesson; the class uses the teacher's screen."));
            s.ResponseExamples[200] = ContractExample.Of(AccessRequestExamples.Approved);
        });
    }

    public override async Task<Results<Ok<AccessRequestResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(DecideAccessRequestCommand command, CancellationToken ct)
    {
        var request = Caller.CanActForSchool(command.SchoolId, [.. RoleSets.BlockedContentApprovers])
            ? await db.BlockedContentRequests.SingleOrDefaultAsync(r => r.SchoolId == command.SchoolId && r.Id == command.RequestId, ct)
            : null;
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        var setting = (await PolicyState.EffectiveAsync(db, command.SchoolId, ct)).Single(s => s.Key == ApproverKey).Value?.GetValue<string>();
        var approver = AccessRequestRules.ApproverRole(setting);
        if (!Caller.CanActForSchool(command.SchoolId, approver))
        {
            return ApiProblem.Forbidden(ApproverKey, "Another role decides these requests",
                $"The school's policy names {approver} to approve or refuse blocked-content access requests ({ApproverKey} = {setting ?? approver}).");
        }

        var now = time.GetUtcNow();
        switch (AccessRequestRules.Decide(request, command.Body.Approved, command.Body.Reason.Trim(), Caller.Subject, approver, now))
        {
            case DecideOutcome.AlreadyDecided:
                return ApiProblem.WrongState("The request has been decided", AccessRequestRules.Name(request.Status),
                    $"The request was {AccessRequestRules.Name(request.Status)} on {request.DecidedAt:yyyy-MM-dd}; a decision stands as given.");
            case DecideOutcome.Lapsed:
                return ApiProblem.WrongState("The period asked for has ended", "lapsed", "Nothing is left to allow: the requester makes a new request.");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AccessRequestResponse.From(request, now));
    }
}
