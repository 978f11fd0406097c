using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Domain.People;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Acknowledgements.Get;

public sealed class GetAcknowledgementQuery
{
    public Guid SchoolId { get; init; }

    public Guid PersonId { get; init; }

    public Guid Id { get; init; }
}

/// <summary>The acknowledgement a person made (the Location of its creation) and the statements they agreed to.</summary>
public sealed class GetAcknowledgement(TrainingDbContext db) : PlatformEndpoint<GetAcknowledgementQuery, Results<Ok<AcknowledgementResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements/{id:guid}");
        Allow(RoleSets.AnyoneInSchool, Scope.ComplianceRead);
        Document("Acknowledgements", "Read a policy acknowledgement",
            "One acknowledgement: the version, when, and the statements the person agreed to (the version's staff rules and journalist rule). " +
            "For the school's leaders and DSL, a key with compliance:read, or the person themself; anyone else gets a 404.");
    }

    public override async Task<Results<Ok<AcknowledgementResponse>, NotFound>> ExecuteAsync(GetAcknowledgementQuery query, CancellationToken ct)
    {
        if (!PersonVisibility.CanSee(Caller, query.SchoolId, query.PersonId))
        {
            return TypedResults.NotFound();
        }

        var acknowledgement = await db.Acknowledgements.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == query.Id && a.SchoolId == query.SchoolId && a.PersonId == query.PersonId, ct);
        return acknowledgement is null ? TypedResults.NotFound() : TypedResults.Ok(AcknowledgementResponse.From(acknowledgement));
    }
}
