using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Courses.Create;

/// <summary>POST /v1/courses: the trust's catalogue is set centrally, so only by a caller that reaches every school (not a school-restricted key).</summary>
public static class CreateCourse
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/courses", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin], Scopes.TrainingWrite)
            .WithTags("Courses")
            .WithName("CreateCourse");

    public static async Task<Results<Created<CourseResponse>, ValidationProblem>> Handle(
        CourseRequest request, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await db.Courses.AnyAsync(c => c.Code == request.Code, cancellationToken))
        {
            return errors.Add("code", "The trust already has a course with this code.").ToProblem();
        }

        var now = time.GetUtcNow();
        var course = new Course { Id = Guid.CreateVersion7(now), Code = request.Code, Title = request.Title.Trim(), ValidityMonths = request.ValidityMonths, CreatedAt = now };
        db.Courses.Add(course);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/courses/{course.Id}", CourseResponse.From(course));
    }
}
