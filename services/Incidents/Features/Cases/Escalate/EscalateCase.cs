using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases.Escalate;

/// <param name="Step">internal, disciplinary, provider_report or police (000 l.139-142).</param>
public sealed record EscalateCaseRequest(string Step, string Reason);

public sealed class EscalateCaseCommand : CaseRoute
{
    [FromBody]
    public EscalateCaseRequest Body { get; init; } = null!;
}

public sealed class EscalateCaseValidator : Validator<EscalateCaseCommand>
{
    public EscalateCaseValidator()
    {
        RuleFor(x => x.Body.Step).Must(CaseTransitions.EscalationSteps.Contains).WithMessage($"One of {string.Join(", ", CaseTransitions.EscalationSteps)}.").MaximumLength(20);
        RuleFor(x => x.Body.Reason).NotEmpty().WithMessage("Required.").MaximumLength(2000);
    }
}

public sealed class EscalateCase(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<EscalateCaseCommand, Results<Created<EscalationResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/escalations");
        Allow(RoleSets.CaseHandlers);
        Document("Cases", "Escalate a case",
            "Moves the case up the seeds' ladder (000 l.139-142): internal, the disciplinary or behaviour policy, a report to the platform provider, " +
            "the police. A closed case is not escalated (409). The reason of a restricted case never leaves the service in the published event.");
        Problems(409);
    }

    public override async Task<Results<Created<EscalationResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(EscalateCaseCommand command, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, command.Id, "escalate", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        if (CaseTransitions.Escalate(c, request.Step) == EscalateOutcome.CaseClosed)
        {
            return ApiProblem.WrongState("A closed case cannot be escalated", CaseStatusNames.ToName(c.Status));
        }

        var now = time.GetUtcNow();
        var (actor, role, reason) = (Caller.Actor, CaseAccess.RoleOf(Caller, c), request.Reason.Trim());
        var entry = CaseAccess.Append(db, c, "escalation", new { step = request.Step, reason }, actor, role, now);
        // Restricted cases carry no reason on the wire: the reason may name a child.
        db.AddEvent(new IncidentEscalated(Guid.CreateVersion7(now), c.TrustId, c.SchoolId, now, c.Id, request.Step, c.Restricted ? "restricted" : reason, c.Restricted), c.Id.ToString(), now);
        await CaseNotices.AddAsync(db, c, CaseNotice.Escalated, request.Step, Caller.StaffId, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/cases/{c.Id}", new EscalationResponse(request.Step, reason, actor, role, entry.At));
    }
}
