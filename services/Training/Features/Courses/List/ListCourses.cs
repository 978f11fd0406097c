using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Courses.List;

/// <summary>GET /v1/courses: the trust's catalogue, for everyone in the trust.</summary>
public static class ListCourses
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/courses", Handle)
            .RequireAccess(TrainingAccess.Everyone, Scopes.TrainingWrite, Scopes.ComplianceRead)
            .WithTags("Courses")
            .WithName("ListCourses");

    public static async Task<Results<Ok<Page<CourseResponse>>, ProblemHttpResult>> Handle(
        TrainingDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.Courses.AsNoTracking();
        if (after is not null)
        {
            query = query.Where(c => string.Compare(c.Code, after) > 0);
        }

        var rows = await query.OrderBy(c => c.Code).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, c => c.Code, CourseResponse.From));
    }
}
