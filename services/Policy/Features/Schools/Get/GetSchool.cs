using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Schools.Get;

public static class GetSchool
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}", Handle)
            .RequireAccess(SchoolAccess.Readers, Scopes.DirectoryRead)
            .WithTags("Schools")
            .WithName("GetSchool");

    public static async Task<Results<Ok<SchoolResponse>, NotFound>> Handle(
        Guid schoolId, HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        // Another school's or another trust's record is a 404 alike: existence is not revealed.
        if (!http.Principal().CanActForSchool(schoolId, SchoolAccess.Readers))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == schoolId, cancellationToken);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http.Response, school.Version);
        return TypedResults.Ok(SchoolResponse.From(school));
    }
}
