using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Roster.List;

/// <summary>
/// GET /v1/schools/{schoolId}/people: the roster, ordered by (updated_at, id) so that an MIS can read
/// deltas with <c>updated_after</c> and page through them without missing a row.
/// </summary>
public static class ListPeople
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/people", Handle)
            .RequireAccess(TrainingAccess.Readers, Scopes.RosterRead)
            .WithTags("Roster")
            .WithName("ListPeople");

    public static async Task<Results<Ok<Page<PersonResponse>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, HttpContext http, TrainingDbContext db, DateTimeOffset? updated_after, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (await TrainingAccess.SchoolAsync(http, db, schoolId, TrainingAccess.Readers, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var query = db.People.AsNoTracking().Where(p => p.SchoolId == schoolId);
        if (updated_after is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            query = query.Where(p => p.UpdatedAt > sinceUtc);
        }

        if (after is not null)
        {
            var parts = after.Split('|');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out var afterId))
            {
                return TypedResults.Problem(PlatformExceptionHandler.Validation(400, "cursor", "Not a cursor this API returned."));
            }

            var afterAt = new DateTimeOffset(ticks, TimeSpan.Zero);
            query = query.Where(p => p.UpdatedAt > afterAt || (p.UpdatedAt == afterAt && p.Id.CompareTo(afterId) > 0));
        }

        var rows = await query.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size,
            p => p.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + p.Id, PersonResponse.From));
    }
}
