using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Sessions.Create;

public sealed class RecordSessionCommand
{
    public Guid SchoolId { get; init; }

    [FromBody]
    public SessionRequest Body { get; init; } = null!;
}

public sealed class RecordSession(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<RecordSessionCommand, Results<Created<SessionResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/sessions");
        Allow(RoleSets.SchoolOversight, Scope.TrainingWrite);
        Document("Sessions", "Record a pupil or parent session",
            "A cohort and a count, never individual pupils (002: pupils are taught termly, parents are invited). A pupil session names a year " +
            "group or a class; a parent session records how many attended. For the school's leaders and DSL, or a key with training:write. With " +
            "an Idempotency-Key, a retry returns the session recorded the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per session to record: a retry with it returns the session recorded the first time.");
        Summary(s =>
        {
            s.ExampleRequest = SessionExamples.SmartPupils;
            s.ResponseExamples[201] = SessionExamples.Recorded;
        });
    }

    public override async Task<Results<Created<SessionResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(RecordSessionCommand command, CancellationToken ct)
    {
        if (!await db.SchoolExistsAsync(command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        var now = time.GetUtcNow();
        var session = new CohortSession
        {
            Id = Guid.CreateVersion7(now), SchoolId = command.SchoolId, Audience = request.Audience, Topic = request.Topic.Trim(), HeldOn = request.HeldOn,
            DeliveredBy = request.DeliveredBy.Trim(), YearGroup = request.YearGroup?.Trim(), ClassName = request.ClassName?.Trim(),
            AttendanceCount = request.AttendanceCount, CreatedAt = now,
        };
        db.CohortSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/schools/{command.SchoolId}/sessions/{session.Id}", SessionResponse.From(session));
    }
}

public sealed class RecordSessionValidator : Validator<RecordSessionCommand>
{
    public RecordSessionValidator()
    {
        RuleFor(x => x.Body).SetValidator(new SessionRequestRules());
    }
}
