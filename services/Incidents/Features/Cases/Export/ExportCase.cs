using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Export;

public sealed record EvidenceMetadata(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256, DateTimeOffset CapturedAt, DateTimeOffset UploadedAt, string Uploader);

public sealed record CaseExport(CaseResponse Case, IReadOnlyList<TimelineEntryResponse> Timeline, IReadOnlyList<EvidenceMetadata> Evidence, DateTimeOffset ExportedAt);

/// <summary>The whole case in one document (e.g. for a referral); exports of restricted cases are audited.</summary>
public sealed class ExportCase(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<CaseRoute, Results<Ok<CaseExport>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/cases/{id:guid}/export");
        Allow(RoleSets.CaseRecordKeepers);
        Document("Cases", "Export a case",
            "The whole case, its timeline and its evidence's metadata (with SHA-256) in one document, e.g. for a referral to the police (000 l.142). " +
            "For the DSL, the headteacher, the trust's admins and the chair where the case rules let them read it; exports of restricted cases are audited.");
    }

    public override async Task<Results<Ok<CaseExport>, NotFound>> ExecuteAsync(CaseRoute route, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, route.Id, "export", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var timeline = await db.Timeline.AsNoTracking().Where(t => t.CaseId == route.Id).OrderBy(t => t.Seq).ToListAsync(ct);
        var evidence = await db.Evidence.AsNoTracking().Where(e => e.CaseId == route.Id).OrderBy(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok(new CaseExport(
            CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, route.Id, ct)),
            timeline.Select(TimelineEntryResponse.From).ToList(),
            evidence.Select(e => new EvidenceMetadata(e.Id, e.FileName, e.ContentType, e.SizeBytes, Convert.ToHexStringLower(e.Sha256), e.CapturedAt, e.UploadedAt, e.Uploader)).ToList(),
            time.GetUtcNow()));
    }
}
