using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Schools.Update;

public static class UpdateSchool
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/schools/{schoolId:guid}", Handle)
            .RequireAccess([Roles.TrustAdmin], Scopes.DirectoryWrite)
            .WithTags("Schools")
            .WithName("UpdateSchool");

    /// <summary>Replaces the school's directory fields; requires If-Match with the ETag last read.</summary>
    public static async Task<IResult> Handle(
        Guid schoolId, SchoolRequest request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, Roles.TrustAdmin))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.SingleOrDefaultAsync(s => s.Id == schoolId, cancellationToken);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        if (ETags.CheckIfMatch(http.Request, school.Version) is { } precondition)
        {
            return precondition;
        }

        var errors = request.Validate();
        if (!errors.Any && request.Urn != school.Urn && await db.Schools.AnyAsync(s => s.Urn == request.Urn && s.Id != schoolId, cancellationToken))
        {
            errors.Add("urn", "This trust already has a school with this URN.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        request.ApplyTo(school);
        school.Version++;
        school.UpdatedAt = now;
        db.AddEvent(SchoolAccess.Updated(school, now), school.Id.ToString(), now);
        // Version is a concurrency token: a concurrent edit that slipped past If-Match fails with 412 here.
        await db.SaveChangesAsync(cancellationToken);

        ETags.Set(http.Response, school.Version);
        return TypedResults.Ok(SchoolResponse.From(school));
    }
}
