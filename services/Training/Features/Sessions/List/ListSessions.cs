using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Features.Sessions.Create;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Sessions.List;

/// <summary>GET /v1/schools/{schoolId}/sessions: the school's pupil and parent sessions, newest first.</summary>
public static class ListSessions
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/sessions", Handle)
            .RequireAccess(RecordSession.Writers, Scopes.TrainingWrite, Scopes.ComplianceRead)
            .WithTags("Sessions")
            .WithName("ListSessions");

    public static async Task<Results<Ok<Page<SessionResponse>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, HttpContext http, TrainingDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (await TrainingAccess.SchoolAsync(http, db, schoolId, RecordSession.Writers, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var query = db.CohortSessions.AsNoTracking().Where(s => s.SchoolId == schoolId);
        if (after is { } afterId)
        {
            query = query.Where(s => s.Id.CompareTo(afterId) < 0);
        }

        var rows = await query.OrderByDescending(s => s.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, s => s.Id.ToString(), SessionResponse.From));
    }
}
