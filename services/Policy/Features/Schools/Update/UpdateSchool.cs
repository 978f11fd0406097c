using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Schools.Update;

/// <summary>The route and precondition beside the body: only <see cref="Body"/> is read from JSON.</summary>
public sealed class UpdateSchoolCommand
{
    public Guid SchoolId { get; init; }

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public SchoolRequest Body { get; init; } = null!;
}

public sealed class UpdateSchool(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<UpdateSchoolCommand, Results<Ok<SchoolResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/schools/{schoolId:guid}");
        Allow(RoleSets.TrustAdmins, Scope.DirectoryWrite);
        Document("Schools", "Replace a school's directory entry",
            "Send the ETag last read in If-Match: without it the answer is 428, with an old one 412. The other services learn of the change from SchoolUpdated.");
        Problems(412, 428);
    }

    public override async Task<Results<Ok<SchoolResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(UpdateSchoolCommand command, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(command.SchoolId, Role.TrustAdmin))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.SingleOrDefaultAsync(s => s.Id == command.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        if (ETags.Check(command.IfMatch, school.Version) is { } precondition)
        {
            return precondition;
        }

        var request = command.Body;
        if (request.Urn != school.Urn && await db.Schools.AnyAsync(s => s.Urn == request.Urn && s.Id != command.SchoolId, ct))
        {
            return ApiProblem.Invalid("urn", "This trust already has a school with this URN.");
        }

        var now = time.GetUtcNow();
        request.ApplyTo(school);
        school.Version++;
        school.UpdatedAt = now;
        db.AddEvent(SchoolEvents.Updated(school, now), school.Id.ToString(), now);
        // Version is a concurrency token: a concurrent edit that slipped past If-Match fails with 412 here.
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, school.Version);
        return TypedResults.Ok(SchoolResponse.From(school));
    }
}

public sealed class UpdateSchoolValidator : Validator<UpdateSchoolCommand>
{
    public UpdateSchoolValidator() => RuleFor(x => x.Body).SetValidator(new SchoolRequestRules());
}
