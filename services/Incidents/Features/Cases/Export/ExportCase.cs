using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Export;

public static class ExportCase
{
    public sealed record EvidenceMetadata(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256, DateTimeOffset CapturedAt, DateTimeOffset UploadedAt, string Uploader);

    public sealed record CaseExport(CaseResponse Case, IReadOnlyList<TimelineEntryResponse> Timeline, IReadOnlyList<EvidenceMetadata> Evidence, DateTimeOffset ExportedAt);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cases/{id:guid}/export", Handle)
            .RequireAccess([Roles.Dsl, Roles.Headteacher, Roles.Chair, Roles.TrustAdmin])
            .WithTags("Cases")
            .WithName("ExportCase");

    /// <summary>The whole case in one document (e.g. for a referral); exports of restricted cases are audited.</summary>
    public static async Task<Results<Ok<CaseExport>, NotFound>> Handle(
        Guid id, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var c = await CaseAccess.LoadFullAsync(db, http.Principal(), id, "export", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var timeline = await db.Timeline.AsNoTracking().Where(t => t.CaseId == id).OrderBy(t => t.Seq).ToListAsync(cancellationToken);
        var evidence = await db.Evidence.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new CaseExport(
            CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, id, cancellationToken)),
            timeline.Select(TimelineEntryResponse.From).ToList(),
            evidence.Select(e => new EvidenceMetadata(e.Id, e.FileName, e.ContentType, e.SizeBytes, Convert.ToHexStringLower(e.Sha256), e.CapturedAt, e.UploadedAt, e.Uploader)).ToList(),
            time.GetUtcNow()));
    }
}
