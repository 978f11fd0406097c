using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Sessions.List;

public sealed class ListSessionsQuery : PageQuery
{
    public Guid SchoolId { get; init; }
}

public sealed class ListSessionsValidator : PageQueryValidator<ListSessionsQuery>;

public sealed class ListSessions(TrainingDbContext db) : PlatformEndpoint<ListSessionsQuery, Results<Ok<Page<SessionResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/sessions");
        Allow(RoleSets.SchoolOversight, Scope.TrainingWrite, Scope.ComplianceRead);
        Document("Sessions", "List the school's pupil and parent sessions",
            "Newest first, cursor-paginated. For the school's leaders and DSL, or a key with training:write or compliance:read.");
    }

    public override async Task<Results<Ok<Page<SessionResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListSessionsQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (!await db.SchoolExistsAsync(page.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var query = db.CohortSessions.AsNoTracking().Where(s => s.SchoolId == page.SchoolId);
        if (after is { } afterId)
        {
            query = query.Where(s => s.Id.CompareTo(afterId) < 0);
        }

        var rows = await query.OrderByDescending(s => s.Id).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.Build(rows, size, s => s.Id.ToString(), SessionResponse.From));
    }
}
