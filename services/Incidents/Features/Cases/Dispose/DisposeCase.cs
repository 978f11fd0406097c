using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Features.Cases.Disposals;
using Trust.Platform.Incidents.Features.Disposal;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Dispose;

/// <param name="Reason">Why the case is disposed of (e.g. "Retention period ended; reviewed by the DSL"): kept in the tombstone.</param>
public sealed record DisposeCaseRequest(string Reason);

public sealed class DisposeCaseCommand : CaseRoute
{
    [FromBody]
    public DisposeCaseRequest Body { get; init; } = null!;
}

public sealed class DisposeCaseValidator : Validator<DisposeCaseCommand>
{
    public DisposeCaseValidator() => RuleFor(x => x.Body.Reason).NotEmpty().WithMessage("Required.").MaximumLength(1000);
}

/// <summary>Disposes of a case due for review: the case, its timeline and its evidence (rows and files); a tombstone remains.</summary>
public sealed class DisposeCase(IncidentsDbContext db, IEvidenceStorage storage, TimeProvider time, ILogger<DisposeCase> logger)
    : PlatformEndpoint<DisposeCaseCommand, Results<Ok<CaseDisposalResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/disposal");
        Allow(RoleSets.CaseAuditors);
        Document("Retention", "Dispose of a case past its retention",
            "For the school's DSL and the trust's admins, of a case they may read whole that is due for a retention review (closed and past its " +
            "retention date, or a closed child-protection case whose retention cannot be computed) and not on legal hold: deletes the case, its " +
            "timeline, its evidence and the evidence's encrypted files, and answers the tombstone that remains (type, school, month received, when, " +
            "by whom, the reason; never the summary or the subject). A case on legal hold or not yet due is a 409 and is kept.");
        Problems(409);
    }

    public override async Task<Results<Ok<CaseDisposalResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(DisposeCaseCommand command, CancellationToken ct)
    {
        var (c, view, viewer) = await CaseAccess.LoadAsync(db, Caller, command.Id, ct);
        if (c is null || view != CaseView.Full || !Caller.CanActForSchool(c.SchoolId, [.. RoleSets.CaseAuditors]))
        {
            return TypedResults.NotFound();
        }

        var zone = await db.Schools.Where(s => s.SchoolId == c.SchoolId).Select(s => s.TimeZone).FirstOrDefaultAsync(ct);
        var today = time.TodayAt(zone);
        var refused = Refusal(CaseTransitions.MayBeDisposed(c, today));
        if (refused is not null)
        {
            return refused;
        }

        var request = new DisposalRequest(c.Id, today, time.GetUtcNow(), Caller.Actor, CaseAccess.RoleOf(Caller, c), command.Body.Reason.Trim());
        var outcome = await CaseDisposals.DisposeAsync(db, storage, request, logger, ct);
        if (Refusal(outcome switch
            {
                DisposalOutcome.Disposed => DisposalCheck.Due,
                DisposalOutcome.LegalHold => DisposalCheck.LegalHold,
                _ => DisposalCheck.NotDue,
            }) is { } late)
        {
            // Changed since it was read (a hold placed, or another disposal): the database's check under the row's lock decides.
            return outcome == DisposalOutcome.NotFound ? TypedResults.NotFound() : late;
        }

        var tombstone = await db.Disposals.AsNoTracking().SingleAsync(d => d.CaseId == c.Id, ct);
        return TypedResults.Ok(CaseDisposalResponse.From(tombstone, viewer));
    }

    private static ProblemHttpResult? Refusal(DisposalCheck check) => check switch
    {
        DisposalCheck.LegalHold => ApiProblem.WrongState("The case is on legal hold", "legal_hold",
            "A held case is kept past its retention date; lift the hold first."),
        DisposalCheck.NotDue => ApiProblem.WrongState("The case is not due for disposal", "not_due",
            "Only a closed case past its retention date (or a closed child-protection case without one) may be disposed of."),
        _ => null,
    };
}
