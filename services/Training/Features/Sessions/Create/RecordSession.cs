using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Sessions.Create;

/// <summary>POST /v1/schools/{schoolId}/sessions: records a pupil or parent session.</summary>
public static class RecordSession
{
    public static readonly string[] Writers = [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl];

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/schools/{schoolId:guid}/sessions", Handle)
            .RequireAccess(Writers, Scopes.TrainingWrite)
            .WithTags("Sessions")
            .WithName("RecordSession");

    public static async Task<Results<Created<SessionResponse>, NotFound, ValidationProblem>> Handle(
        Guid schoolId, SessionRequest request, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await TrainingAccess.SchoolAsync(http, db, schoolId, Writers, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var errors = request.Validate();
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var session = new CohortSession
        {
            Id = Guid.CreateVersion7(now), SchoolId = schoolId, Audience = request.Audience, Topic = request.Topic.Trim(), HeldOn = request.HeldOn,
            DeliveredBy = request.DeliveredBy.Trim(), YearGroup = request.YearGroup?.Trim(), ClassName = request.ClassName?.Trim(),
            AttendanceCount = request.AttendanceCount, CreatedAt = now,
        };
        db.CohortSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/schools/{schoolId}/sessions/{session.Id}", SessionResponse.From(session));
    }
}
