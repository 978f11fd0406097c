using Trust.Platform.Hosting.Endpoints;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Timeline;

public sealed class GetTimelineQuery : PageQuery
{
    public Guid Id { get; init; }
}

public sealed class GetTimelineValidator : PageQueryValidator<GetTimelineQuery>;

/// <summary>The append-only timeline in order, cursor-paginated by sequence number.</summary>
public sealed class GetTimeline(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<GetTimelineQuery, Results<Ok<Page<TimelineEntryResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/cases/{id:guid}/timeline");
        Allow(RoleSets.AnyoneInSchool);
        Document("Cases", "Read a case's timeline",
            "The append-only, hash-chained record of the case (reported, notes, escalations, evidence, decisions, closure), oldest first, for those who " +
            "may read the whole case; reads of a restricted case are audited. Cursor-paginated by sequence number.");
    }

    public override async Task<Results<Ok<Page<TimelineEntryResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(GetTimelineQuery query, CancellationToken ct)
    {
        if (!Paging.TryRead(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var afterSeq = 0;
        if (after is not null && !int.TryParse(after, CultureInfo.InvariantCulture, out afterSeq))
        {
            return ApiProblem.Invalid("cursor", "Not a cursor this API returned.");
        }

        var c = await CaseAccess.LoadFullAsync(db, Caller, query.Id, "read_timeline", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var rows = await db.Timeline.AsNoTracking().Where(t => t.CaseId == query.Id && t.Seq > afterSeq).OrderBy(t => t.Seq).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.Build(rows, size, t => t.Seq.ToString(CultureInfo.InvariantCulture), TimelineEntryResponse.From));
    }
}
