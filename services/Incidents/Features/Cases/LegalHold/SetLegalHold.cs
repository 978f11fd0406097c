using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.LegalHold;

public sealed record SetLegalHoldRequest(bool Hold, string? Reason = null);

public sealed class SetLegalHoldCommand : CaseRoute
{
    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public SetLegalHoldRequest Body { get; init; } = null!;
}

public sealed class SetLegalHoldValidator : Validator<SetLegalHoldCommand>
{
    public SetLegalHoldValidator()
    {
        RuleFor(x => x.IfMatch).MaximumLength(100);
        RuleFor(x => x.Body.Reason).MaximumLength(1000);
        RuleFor(x => x.Body.Reason).NotEmpty().When(x => x.Body.Hold).WithMessage("Required when placing a hold.");
    }
}

/// <summary>A legal hold keeps a case past its retention date (it is never listed for disposal while held). If-Match required.</summary>
public sealed class SetLegalHold(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<SetLegalHoldCommand, Results<Ok<CaseResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/cases/{id:guid}/legal-hold");
        Allow(RoleSets.CaseRecordKeepers);
        Document("Retention", "Place or lift a legal hold",
            "A held case is kept past its retention date and never listed for disposal; placing a hold needs a reason. Send the case's ETag in If-Match: " +
            "without it the answer is 428, with an old one 412.");
        Problems(412, 428);
    }

    public override async Task<Results<Ok<CaseResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(SetLegalHoldCommand command, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, command.Id, "legal_hold", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        if (ETags.Check(command.IfMatch, c.Version) is { } precondition)
        {
            return precondition;
        }

        CaseTransitions.SetLegalHold(c, command.Body.Hold, command.Body.Reason);
        CaseAccess.Append(db, c, "legal_hold", new { hold = c.LegalHold, reason = c.LegalHoldReason }, Caller.Actor, CaseAccess.RoleOf(Caller, c), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, c.Version);
        return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, ct)));
    }
}
