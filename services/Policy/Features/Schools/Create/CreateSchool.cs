using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Schools.Create;

public sealed class CreateSchoolCommand
{
    [FromBody]
    public SchoolRequest Body { get; init; } = null!;
}

/// <summary>The trust adds a school; the other services learn of it from SchoolAdded.</summary>
public sealed class CreateSchool(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<CreateSchoolCommand, Results<Created<SchoolResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools");
        AllowTrustWide(RoleSets.TrustAdmins, Scope.DirectoryWrite);
        Document("Schools", "Add a school to the trust",
            "Creates the school's directory entry. A URN the trust already uses is refused on `urn`. The answer carries the ETag to send in If-Match " +
            "when updating it. With an Idempotency-Key, a retry returns the school created the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per school to add: a retry with it returns the school created the first time.");
    }

    public override async Task<Results<Created<SchoolResponse>, ProblemHttpResult>> ExecuteAsync(CreateSchoolCommand command, CancellationToken ct)
    {
        var request = command.Body;
        if (await db.Schools.AnyAsync(s => s.Urn == request.Urn, ct))
        {
            return ApiProblem.Invalid("urn", "This trust already has a school with this URN.");
        }

        var now = time.GetUtcNow();
        var school = new School { Id = Guid.CreateVersion7(now), TrustId = db.Tenant.TrustId!.Value, CreatedAt = now, UpdatedAt = now, Version = 1 };
        request.ApplyTo(school);
        db.Schools.Add(school);
        db.AddEvent(SchoolEvents.Added(school, now), school.Id.ToString(), now);
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, school.Version);
        return TypedResults.Created($"/v1/schools/{school.Id}", SchoolResponse.From(school));
    }
}

public sealed class CreateSchoolValidator : Validator<CreateSchoolCommand>
{
    public CreateSchoolValidator()
    {
        RuleFor(x => x.Body).SetValidator(new SchoolRequestRules());
    }
}
