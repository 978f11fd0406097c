using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Schools.Create;

public static class CreateSchool
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/schools", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin], Scopes.DirectoryWrite)
            .WithTags("Schools")
            .WithName("CreateSchool");

    public static async Task<Results<Created<SchoolResponse>, ValidationProblem>> Handle(
        SchoolRequest request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await db.Schools.AnyAsync(s => s.Urn == request.Urn, cancellationToken))
        {
            return errors.Add("urn", "This trust already has a school with this URN.").ToProblem();
        }

        var now = time.GetUtcNow();
        var school = new School { Id = Guid.CreateVersion7(now), CreatedAt = now, UpdatedAt = now, Version = 1 };
        request.ApplyTo(school);
        school.TrustId = db.Tenant.TrustId!.Value;
        db.Schools.Add(school);
        db.AddEvent(SchoolAccess.Added(school, now), school.Id.ToString(), now);
        await db.SaveChangesAsync(cancellationToken);

        ETags.Set(http.Response, school.Version);
        return TypedResults.Created($"/v1/schools/{school.Id}", SchoolResponse.From(school));
    }
}
