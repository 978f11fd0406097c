using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Completions.List;

/// <summary>GET /v1/schools/{schoolId}/people/{personId}/completions: readers of the school, or the person themself.</summary>
public static class ListCompletions
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/people/{personId:guid}/completions", Handle)
            .RequireAccess(TrainingAccess.Everyone, Scopes.ComplianceRead, Scopes.TrainingWrite)
            .WithTags("Completions")
            .WithName("ListCompletions");

    public static async Task<Results<Ok<Page<CompletionResponse>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, Guid personId, HttpContext http, TrainingDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (await TrainingAccess.PersonScopeAsync(http, db, schoolId, personId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var query = db.Completions.AsNoTracking().Where(c => c.SchoolId == schoolId && c.PersonId == personId);
        if (after is { } afterId)
        {
            query = query.Where(c => c.Id.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, c => c.Id.ToString(), CompletionResponse.From));
    }
}
