using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Domain.Acknowledgements;
using Trust.Platform.Training.Domain.People;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Acknowledgements.Create;

public sealed class AcknowledgePolicyCommand
{
    public Guid SchoolId { get; init; }

    public Guid PersonId { get; init; }

    [FromBody]
    public AcknowledgementRequest Body { get; init; } = null!;
}

/// <summary>
/// Only the person themself (their token's <c>tp_staff</c> claim) can acknowledge; nobody acknowledges on someone else's
/// behalf. Acknowledging the same version again returns the first acknowledgement (200) and emits nothing.
/// </summary>
public sealed class AcknowledgePolicy(TrainingDbContext db, TimeProvider time)
    : PlatformEndpoint<AcknowledgePolicyCommand, Results<Created<AcknowledgementResponse>, Ok<AcknowledgementResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements");
        Allow(RoleSets.AnyoneInSchool);
        Document("Acknowledgements", "Acknowledge a published version of the school's policy",
            "Only the person themself, signed in (their token's staff id), may acknowledge; for anyone else, a leaver, or another school's person the " +
            "answer is a 404, and API keys are refused. A version not published for this school is refused on `policyVersionId`. Acknowledging the " +
            "same version again returns the first acknowledgement (200) and announces nothing; otherwise PolicyAcknowledged is announced " +
            "(003: the Leadership Team must be satisfied that account runners have \"read and understood this policy\"). The acknowledgement records " +
            "the statements agreed, built from the version's staff rules (personal use in lessons and breaks, following current pupils, ex-pupils " +
            "under 18 and parents: 002 l.167-170, 001 l.69, 000 l.113) and journalist rule (000 l.110, 003 l.98). With an Idempotency-Key, a " +
            "retry returns the first answer; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per acknowledgement: a retry with it returns the first answer.");
    }

    public override async Task<Results<Created<AcknowledgementResponse>, Ok<AcknowledgementResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(
        AcknowledgePolicyCommand command, CancellationToken ct)
    {
        if (!PersonVisibility.IsSelf(Caller, command.SchoolId, command.PersonId) ||
            !await db.People.AnyAsync(p => p.Id == command.PersonId && p.SchoolId == command.SchoolId && p.LeftAt == null, ct))
        {
            return TypedResults.NotFound();
        }

        var versionId = command.Body.PolicyVersionId;
        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.PolicyVersionId == versionId && v.SchoolId == command.SchoolId, ct);
        if (version is null)
        {
            return ApiProblem.Invalid("policyVersionId", "Not a published version of this school's policy.");
        }

        var existing = await db.Acknowledgements.AsNoTracking().SingleOrDefaultAsync(a => a.PersonId == command.PersonId && a.PolicyVersionId == versionId, ct);
        if (existing is not null)
        {
            return TypedResults.Ok(AcknowledgementResponse.From(existing));
        }

        var acknowledgement = Acknowledge(command, version);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/schools/{command.SchoolId}/people/{command.PersonId}/acknowledgements/{acknowledgement.Id}",
            AcknowledgementResponse.From(acknowledgement));
    }

    private Acknowledgement Acknowledge(AcknowledgePolicyCommand command, PolicyVersion version)
    {
        var now = time.GetUtcNow();
        var (acknowledgement, announced) = AcknowledgementRules.New(db.Tenant.TrustId!.Value, command.SchoolId, command.PersonId, version, now);
        db.Acknowledgements.Add(acknowledgement);
        db.AddEvent(announced, command.PersonId.ToString(), now);
        return acknowledgement;
    }
}
