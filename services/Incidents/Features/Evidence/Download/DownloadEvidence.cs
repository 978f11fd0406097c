using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Evidence.Download;

public sealed class DownloadEvidenceQuery : CaseRoute
{
    public Guid EvidenceId { get; init; }
}

/// <summary>The bytes as uploaded, with their SHA-256 (hex in X-Evidence-Sha256, RFC 9530 Repr-Digest too). Audited when restricted.</summary>
public sealed class DownloadEvidence(IncidentsDbContext db, IEvidenceStorage storage, TimeProvider time)
    : PlatformEndpoint<DownloadEvidenceQuery, Results<FileStreamHttpResult, NotFound>>
{
    public const string HashHeader = "X-Evidence-Sha256";

    public override void Configure()
    {
        Get("/v1/cases/{id:guid}/evidence/{evidenceId:guid}");
        Allow(RoleSets.AnyoneInSchool);
        Document("Evidence", "Download evidence",
            "The file as uploaded, with its SHA-256 in X-Evidence-Sha256 (hex) and Repr-Digest (RFC 9530) to check it against the timeline. For those " +
            "who may read the whole case; downloads from a restricted case are audited.");
        Description(b => b.Produces<EvidenceBytes>(200, "image/png", "image/jpeg", "application/pdf"));
    }

    public override async Task<Results<FileStreamHttpResult, NotFound>> ExecuteAsync(DownloadEvidenceQuery query, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, query.Id, "download_evidence", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var item = await db.Evidence.AsNoTracking().SingleOrDefaultAsync(e => e.Id == query.EvidenceId && e.CaseId == query.Id, ct);
        var stream = item is null ? null : await storage.OpenAsync(item.StorageKey, ct);
        if (item is null || stream is null)
        {
            return TypedResults.NotFound();
        }

        HttpContext.Response.Headers[HashHeader] = Convert.ToHexStringLower(item.Sha256);
        HttpContext.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(item.Sha256)}:";
        return TypedResults.Stream(stream, item.ContentType, item.FileName);
    }
}
