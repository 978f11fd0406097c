using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Courses.Create;

public sealed class CreateCourseCommand
{
    [FromBody]
    public CourseRequest Body { get; init; } = null!;
}

/// <summary>The trust's catalogue is set centrally, so only by a caller that reaches every school (not a school-restricted key).</summary>
public sealed class CreateCourse(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<CreateCourseCommand, Results<Created<CourseResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/courses");
        AllowTrustWide(RoleSets.TrustAdmins, Scope.TrainingWrite);
        Document("Courses", "Add a course to the trust's catalogue",
            "A code the trust already uses is refused on `code`. The code links completions to requirements: social_media_policy (induction and " +
            "refreshers), at_risk_pupils (003: \"teachers will receive training in identifying potentially at-risk pupils\"), platform:{platform}. " +
            "For the trust's admins or a key with training:write that reaches every school. With an Idempotency-Key, a retry returns the course " +
            "created the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per course to add: a retry with it returns the course created the first time.");
        Summary(s =>
        {
            s.ExampleRequest = CourseExamples.SocialMediaPolicy;
            s.ResponseExamples[201] = CourseExamples.Created;
        });
    }

    public override async Task<Results<Created<CourseResponse>, ProblemHttpResult>> ExecuteAsync(CreateCourseCommand command, CancellationToken ct)
    {
        var request = command.Body;
        if (await db.Courses.AnyAsync(c => c.Code == request.Code, ct))
        {
            return ApiProblem.Invalid("code", "The trust already has a course with this code.");
        }

        var now = time.GetUtcNow();
        var course = new Course { Id = Guid.CreateVersion7(now), Code = request.Code, Title = request.Title.Trim(), ValidityMonths = request.ValidityMonths, CreatedAt = now };
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/courses/{course.Id}", CourseResponse.From(course));
    }
}

public sealed class CreateCourseValidator : Validator<CreateCourseCommand>
{
    public CreateCourseValidator()
    {
        RuleFor(x => x.Body).SetValidator(new CourseRequestRules());
    }
}
