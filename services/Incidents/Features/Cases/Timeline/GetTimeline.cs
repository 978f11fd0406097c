using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases;

public sealed record TimelineEntryResponse(int Seq, string Kind, DateTimeOffset At, string Actor, string ActorRole, JsonElement Body, string Hash)
{
    public static TimelineEntryResponse From(TimelineEntry t) =>
        new(t.Seq, t.Kind, t.At, t.Actor, t.ActorRole, JsonDocument.Parse(t.Body).RootElement.Clone(), Convert.ToHexStringLower(t.Hash));
}

public static class GetTimeline
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cases/{id:guid}/timeline", Handle)
            .RequireAccess(CaseAccess.SchoolRoles)
            .WithTags("Cases")
            .WithName("GetCaseTimeline");

    /// <summary>The append-only timeline in order, cursor-paginated by sequence number.</summary>
    public static async Task<Results<Ok<Page<TimelineEntryResponse>>, NotFound, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IncidentsDbContext db, TimeProvider time, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var afterSeq = 0;
        if (after is not null && !int.TryParse(after, out afterSeq))
        {
            return TypedResults.Problem(PlatformExceptionHandler.Validation(400, "cursor", "Not a cursor this API returned."));
        }

        var c = await CaseAccess.LoadFullAsync(db, http.Principal(), id, "read_timeline", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var rows = await db.Timeline.AsNoTracking().Where(t => t.CaseId == id && t.Seq > afterSeq).OrderBy(t => t.Seq).Take(size + 1).ToListAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, t => t.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), TimelineEntryResponse.From));
    }
}
