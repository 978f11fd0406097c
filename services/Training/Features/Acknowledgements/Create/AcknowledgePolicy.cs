using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Acknowledgements.Create;

/// <summary>
/// POST /v1/schools/{schoolId}/people/{personId}/acknowledgements: only the person themself (their
/// token's <c>tp_staff</c> claim) can acknowledge; nobody acknowledges on someone else's behalf.
/// Acknowledging the same version again returns the first acknowledgement (200) and emits nothing.
/// </summary>
public static class AcknowledgePolicy
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements", Handle)
            .RequireAccess(TrainingAccess.Everyone)
            .WithTags("Acknowledgements")
            .WithName("AcknowledgePolicy");

    public static async Task<Results<Created<AcknowledgementResponse>, Ok<AcknowledgementResponse>, NotFound, ValidationProblem>> Handle(
        Guid schoolId, Guid personId, AcknowledgementRequest request, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TrainingAccess.IsSelf(http, schoolId, personId) ||
            !await db.People.AnyAsync(p => p.Id == personId && p.SchoolId == schoolId && p.LeftAt == null, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var version = await db.PolicyVersions.AsNoTracking()
            .SingleOrDefaultAsync(v => v.PolicyVersionId == request.PolicyVersionId && v.SchoolId == schoolId, cancellationToken);
        if (version is null)
        {
            return new FieldErrors().Add("policyVersionId", "Not a published version of this school's policy.").ToProblem();
        }

        var existing = await db.Acknowledgements.AsNoTracking()
            .SingleOrDefaultAsync(a => a.PersonId == personId && a.PolicyVersionId == request.PolicyVersionId, cancellationToken);
        if (existing is not null)
        {
            return TypedResults.Ok(AcknowledgementResponse.From(existing));
        }

        var now = time.GetUtcNow();
        var acknowledgement = new Acknowledgement
        {
            Id = Guid.CreateVersion7(now), SchoolId = schoolId, PersonId = personId, PolicyVersionId = version.PolicyVersionId,
            Version = version.Version, AcknowledgedAt = now,
        };
        db.Acknowledgements.Add(acknowledgement);
        db.AddEvent(new PolicyAcknowledged(Guid.CreateVersion7(now), db.Tenant.TrustId!.Value, schoolId, now, personId, version.PolicyVersionId, version.Version),
            personId.ToString(), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/schools/{schoolId}/people/{personId}/acknowledgements/{acknowledgement.Id}", AcknowledgementResponse.From(acknowledgement));
    }
}
