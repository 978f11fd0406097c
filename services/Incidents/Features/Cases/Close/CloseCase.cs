using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases.Close;

/// <param name="Outcome">One of the outcomes the seeds name (resolved_internally, content_removed, disciplinary, exclusion, police_referral, no_further_action).</param>
/// <param name="Significant">002 l.263: training is refreshed in light of significant incidents.</param>
public sealed record CloseCaseRequest(string Outcome, bool Significant, string? Note = null);

public sealed class CloseCaseCommand : CaseRoute
{
    [FromBody]
    public CloseCaseRequest Body { get; init; } = null!;
}

public sealed class CloseCaseValidator : Validator<CloseCaseCommand>
{
    public CloseCaseValidator()
    {
        RuleFor(x => x.Body.Outcome).Must(CaseTransitions.Outcomes.Contains).WithMessage($"One of {string.Join(", ", CaseTransitions.Outcomes)}.").MaximumLength(30);
        RuleFor(x => x.Body.Note).MaximumLength(4000);
    }
}

public sealed class CloseCase(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<CloseCaseCommand, Results<Ok<CaseResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/close");
        Allow(RoleSets.CaseHandlers);
        Document("Cases", "Close a case",
            "Records the outcome and whether the incident was significant (002 l.263: training is refreshed in light of significant incidents); " +
            "the retention period runs from the day it closed at the school. Closing a closed case is a 409.");
        Problems(409);
    }

    public override async Task<Results<Ok<CaseResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(CloseCaseCommand command, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, command.Id, "close", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        var now = time.GetUtcNow();
        var zone = await db.Schools.Where(s => s.SchoolId == c.SchoolId).Select(s => s.TimeZone).FirstOrDefaultAsync(ct);
        if (CaseTransitions.Close(c, request.Outcome, request.Significant, now, time.TodayAt(zone)) == CloseOutcome.AlreadyClosed)
        {
            return ApiProblem.WrongState("The case is already closed", CaseStatusNames.ToName(c.Status));
        }

        CaseAccess.Append(db, c, "closed", new { outcome = request.Outcome, significant = request.Significant, note = request.Note?.Trim() },
            Caller.Actor, CaseAccess.RoleOf(Caller, c), now);
        db.AddEvent(new IncidentClosed(Guid.CreateVersion7(now), c.TrustId, c.SchoolId, now, c.Id, c.CaseType, request.Outcome, request.Significant, c.Restricted), c.Id.ToString(), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, ct)));
    }
}
