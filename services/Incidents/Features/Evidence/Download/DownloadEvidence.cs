using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Evidence.Download;

public static class DownloadEvidence
{
    public const string HashHeader = "X-Evidence-Sha256";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cases/{id:guid}/evidence/{evidenceId:guid}", Handle)
            .RequireAccess(CaseAccess.SchoolRoles)
            .WithTags("Evidence")
            .WithName("DownloadEvidence");

    /// <summary>The bytes as uploaded, with their SHA-256 (hex in X-Evidence-Sha256, RFC 9530 Repr-Digest too). Audited when restricted.</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound>> Handle(
        Guid id, Guid evidenceId, HttpContext http, IncidentsDbContext db, IEvidenceStorage storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var c = await CaseAccess.LoadFullAsync(db, http.Principal(), id, "download_evidence", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var item = await db.Evidence.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evidenceId && e.CaseId == id, cancellationToken);
        var stream = item is null ? null : await storage.OpenAsync(item.StorageKey, cancellationToken);
        if (item is null || stream is null)
        {
            return TypedResults.NotFound();
        }

        await db.SaveChangesAsync(cancellationToken);
        http.Response.Headers[HashHeader] = Convert.ToHexStringLower(item.Sha256);
        http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(item.Sha256)}:";
        return TypedResults.Stream(stream, item.ContentType, item.FileName);
    }
}
