using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Courses.List;

public sealed class ListCourses(TrainingDbContext db) : PlatformEndpoint<PageQuery, Results<Ok<Page<CourseResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/courses");
        Allow(RoleSets.AnyoneInSchool, Scope.TrainingWrite, Scope.ComplianceRead);
        Document("Courses", "List the trust's course catalogue",
            "Every course of the trust, ordered by code, cursor-paginated. For anyone in the trust, or a key with training:write or compliance:read.");
    }

    public override async Task<Results<Ok<Page<CourseResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryRead(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.Courses.AsNoTracking();
        if (after is not null)
        {
            query = query.Where(c => string.Compare(c.Code, after) > 0);
        }

        var rows = await query.OrderBy(c => c.Code).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.Build(rows, size, c => c.Code, CourseResponse.From));
    }
}
