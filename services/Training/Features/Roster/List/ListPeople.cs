using System.Globalization;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Roster.List;

public sealed class ListPeopleQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    /// <summary>Only people changed after this instant (ISO 8601 with its offset): an MIS reads deltas with the last <c>updatedAt</c> it saw.</summary>
    [QueryParam]
    public DateTimeOffset? UpdatedAfter { get; init; }
}

public sealed class ListPeopleValidator : PageQueryValidator<ListPeopleQuery>;

/// <summary>The roster, ordered by (updatedAt, id) so that an MIS can read deltas with <c>updatedAfter</c> and page through them without missing a row.</summary>
public sealed class ListPeople(TrainingDbContext db) : PlatformEndpoint<ListPeopleQuery, Results<Ok<Page<PersonResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/people");
        Allow(RoleSets.SchoolOversight, Scope.RosterRead);
        Document("Roster", "List the school's roster",
            "Everyone on the roster, leavers included (`left`), ordered by last change then id; `updatedAfter` returns only the people changed " +
            "since, for an MIS reading deltas. Cursor-paginated. For the school's leaders and DSL, or a key with roster:read.");
    }

    public override async Task<Results<Ok<Page<PersonResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListPeopleQuery page, CancellationToken ct)
    {
        if (!Paging.TryRead(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (!await db.SchoolExistsAsync(page.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var query = db.People.AsNoTracking().Where(p => p.SchoolId == page.SchoolId);
        if (page.UpdatedAfter is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            query = query.Where(p => p.UpdatedAt > sinceUtc);
        }

        if (after is not null)
        {
            var parts = after.Split('|');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out var afterId))
            {
                return ApiProblem.Invalid("cursor", "Not a cursor this API returned.");
            }

            var afterAt = new DateTimeOffset(ticks, TimeSpan.Zero);
            query = query.Where(p => p.UpdatedAt > afterAt || (p.UpdatedAt == afterAt && p.Id.CompareTo(afterId) > 0));
        }

        var rows = await query.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Id).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.Build(rows, size, p => p.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + p.Id, PersonResponse.From));
    }
}
