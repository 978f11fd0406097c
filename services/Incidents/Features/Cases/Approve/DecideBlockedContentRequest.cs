using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Approve;

/// <summary>002 Appendix A (l.274-279): approved?, reasons; the authoriser and date come from the caller and the clock.</summary>
public sealed record BlockedContentDecisionRequest(bool Approved, string Reasons);

public sealed class DecideBlockedContentRequestCommand : CaseRoute
{
    [FromBody]
    public BlockedContentDecisionRequest Body { get; init; } = null!;
}

public sealed class DecideBlockedContentRequestValidator : Validator<DecideBlockedContentRequestCommand>
{
    public DecideBlockedContentRequestValidator() => RuleFor(x => x.Body.Reasons).NotEmpty().WithMessage("Required.").MaximumLength(2000);
}

/// <summary>002 l.245-247: a blocked content access request "will be approved by the headteacher/principal".</summary>
public sealed class DecideBlockedContentRequest(IncidentsDbContext db, TimeProvider time)
    : PlatformEndpoint<DecideBlockedContentRequestCommand, Results<Created<TimelineEntryResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/decision");
        Allow(RoleSets.Headteachers);
        Document("Cases", "Approve or refuse a blocked content access request",
            "The school's headteacher approves or refuses a request to unblock a site (002 l.245-247, Appendix A), with reasons; the decision goes on " +
            "the timeline. Another case type is refused on `type` (400); a closed request is a 409.");
        Problems(409);
    }

    public override async Task<Results<Created<TimelineEntryResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(DecideBlockedContentRequestCommand command, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, command.Id, "decide", time, ct);
        if (c is null || !Caller.CanActForSchool(c.SchoolId, Role.Headteacher))
        {
            return TypedResults.NotFound();
        }

        switch (CaseTransitions.Decide(c))
        {
            case DecideOutcome.NotABlockedContentRequest:
                return ApiProblem.Invalid("type", "Only a blocked content access request is approved or refused.");
            case DecideOutcome.AlreadyClosed:
                return ApiProblem.WrongState("The request is already closed", CaseStatusNames.ToName(c.Status));
        }

        var request = command.Body;
        var entry = CaseAccess.Append(db, c, "decision", new { approved = request.Approved, reasons = request.Reasons.Trim() },
            CaseAccess.ActorOf(Caller), Role.Headteacher, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/cases/{c.Id}/timeline", TimelineEntryResponse.From(entry));
    }
}
