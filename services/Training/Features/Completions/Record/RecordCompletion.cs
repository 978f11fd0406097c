using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Features.Completions.Expiry;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Completions.Record;

/// <summary>
/// POST /v1/schools/{schoolId}/people/{personId}/completions: records a completion, computes its expiry
/// from the course's validity, and emits TrainingCompleted (Accounts checks administrators are trained).
/// </summary>
public static class RecordCompletion
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/schools/{schoolId:guid}/people/{personId:guid}/completions", Handle)
            .RequireAccess(TrainingAccess.Managers, Scopes.TrainingWrite)
            .WithTags("Completions")
            .WithName("RecordCompletion");

    public static async Task<Results<Created<CompletionResponse>, NotFound, ValidationProblem>> Handle(
        Guid schoolId, Guid personId, CompletionRequest request, HttpContext http, TrainingDbContext db, TimeProvider time,
        ExpirySignal expiry, CancellationToken cancellationToken)
    {
        var school = await TrainingAccess.SchoolAsync(http, db, schoolId, TrainingAccess.Managers, cancellationToken);
        if (school is null || !await db.People.AnyAsync(p => p.Id == personId && p.SchoolId == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("provider", request.Provider).Optional("evidenceReference", request.EvidenceReference, 500);
        var today = TrainingAccess.Today(time, school.TimeZone);
        if (request.CompletedOn > today)
        {
            errors.Add("completedOn", "Must not be in the future.");
        }

        if (request.Score is < 0 or > 100)
        {
            errors.Add("score", "Between 0 and 100.");
        }

        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CourseId, cancellationToken);
        if (course is null)
        {
            errors.Add("courseId", "Not a course of this trust.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var completion = new Completion
        {
            Id = Guid.CreateVersion7(now), SchoolId = schoolId, PersonId = personId, CourseId = course!.Id, CourseCode = course.Code,
            CompletedOn = request.CompletedOn, Provider = request.Provider.Trim(), EvidenceReference = request.EvidenceReference?.Trim(),
            Score = request.Score, ExpiresOn = course.ValidityMonths is { } months ? request.CompletedOn.AddMonths(months) : null, CreatedAt = now,
        };
        db.Completions.Add(completion);
        db.AddEvent(new TrainingCompleted(Guid.CreateVersion7(now), db.Tenant.TrustId!.Value, schoolId, now, personId, course.Id, course.Code,
            completion.CompletedOn, completion.ExpiresOn), personId.ToString(), now);
        await db.SaveChangesAsync(cancellationToken);
        if (completion.ExpiresOn is { } expiresOn && expiresOn < today)
        {
            expiry.Notify(); // A completion recorded late may already have expired: announce it now, not at the next sweep.
        }

        return TypedResults.Created($"/v1/schools/{schoolId}/people/{personId}/completions/{completion.Id}", CompletionResponse.From(completion));
    }
}
