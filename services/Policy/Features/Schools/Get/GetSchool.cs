using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Schools.Get;

public sealed record GetSchoolQuery(Guid SchoolId);

public sealed class GetSchool(PolicyDbContext db) : PlatformEndpoint<GetSchoolQuery, Results<Ok<SchoolResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}");
        Allow(RoleSets.AnyoneInSchool, Scope.DirectoryRead);
        Document("Schools", "Read a school's directory entry", "With its ETag. Another school's or another trust's school is a 404.");
    }

    public override async Task<Results<Ok<SchoolResponse>, NotFound>> ExecuteAsync(GetSchoolQuery query, CancellationToken ct)
    {
        // Another school's or another trust's record is a 404 alike: existence is not revealed.
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == query.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(HttpContext.Response, school.Version);
        return TypedResults.Ok(SchoolResponse.From(school));
    }
}
