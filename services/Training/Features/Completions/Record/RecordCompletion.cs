using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Domain.Completions;
using Trust.Platform.Training.Features.Completions.Expiry;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Completions.Record;

public sealed class RecordCompletionCommand
{
    public Guid SchoolId { get; init; }

    public Guid PersonId { get; init; }

    [FromBody]
    public CompletionRequest Body { get; init; } = null!;
}

/// <summary>Records a completion, computes its expiry from the course's validity, and emits TrainingCompleted (Accounts checks administrators are trained).</summary>
public sealed class RecordCompletion(TrainingDbContext db, TimeProvider time, ExpirySignal expiry)
    : PlatformEndpoint<RecordCompletionCommand, Results<Created<CompletionResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/people/{personId:guid}/completions");
        Allow(RoleSets.SchoolLeaders, Scope.TrainingWrite);
        Document("Completions", "Record a completed course",
            "Records that the person completed a course of the catalogue (`courseId`), on a day not after today at the school, with its provider, " +
            "an evidence reference (a certificate id, not the file) and an optional score. It expires `validityMonths` after it was completed. " +
            "The other services learn of it from TrainingCompleted. For the school's headteacher, the trust's admins, or a key with training:write. " +
            "With an Idempotency-Key, a retry returns the completion recorded the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per completion to record: a retry with it returns the completion recorded the first time.");
        Summary(s =>
        {
            s.ExampleRequest = CompletionExamples.AtRiskPupils;
            s.ResponseExamples[201] = CompletionExamples.Recorded;
        });
    }

    public override async Task<Results<Created<CompletionResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(RecordCompletionCommand command, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == command.SchoolId, ct);
        if (school is null || !await db.People.AnyAsync(p => p.Id == command.PersonId && p.SchoolId == command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        var today = time.TodayAt(school.TimeZone);
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CourseId, ct);
        var errors = new FieldErrors();
        foreach (var (field, reason) in CompletionRules.Refusals(request.CompletedOn, course, today))
        {
            errors.Add(field, reason);
        }

        if (errors.Any)
        {
            return ApiProblem.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var (completion, announced) = CompletionRules.New(db.Tenant.TrustId!.Value, command.SchoolId, command.PersonId, course!, request.CompletedOn,
            request.Provider, request.EvidenceReference, request.Score, now);
        db.Completions.Add(completion);
        db.AddEvent(announced, CompletionRules.Stream(command.SchoolId), now);
        await db.SaveChangesAsync(ct);
        var created = TypedResults.Created($"/v1/schools/{command.SchoolId}/people/{command.PersonId}/completions/{completion.Id}",
            CompletionResponse.From(completion));
        if (CompletionRules.AlreadyExpired(completion, today))
        {
            expiry.Notify(); // Announce it now, not at the next sweep.
        }

        return created;
    }
}

public sealed class RecordCompletionValidator : Validator<RecordCompletionCommand>
{
    public RecordCompletionValidator()
    {
        RuleFor(x => x.Body).SetValidator(new CompletionRequestRules());
    }
}
