using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Evidence.Upload;

public sealed record EvidenceResponse(Guid Id, Guid CaseId, string FileName, string ContentType, long SizeBytes, string Sha256, DateTimeOffset CapturedAt, DateTimeOffset UploadedAt, string Uploader)
{
    public static EvidenceResponse From(EvidenceItem e) =>
        new(e.Id, e.CaseId, e.FileName, e.ContentType, e.SizeBytes, Convert.ToHexStringLower(e.Sha256), e.CapturedAt, e.UploadedAt, e.Uploader);
}

public static class UploadEvidence
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/cases/{id:guid}/evidence", Handle)
            .RequireAccess(CaseAccess.SchoolRoles)
            // Evidence may be larger than the platform's 1 MiB body default: 10 MB here, 413 above.
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            // Documented, not enforced by routing (Accepts would answer 415 before authentication): the handler checks type and bytes.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var body = new Microsoft.OpenApi.OpenApiRequestBody { Required = true, Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>() };
                foreach (var type in new[] { "image/png", "image/jpeg", "application/pdf" })
                {
                    body.Content[type] = new Microsoft.OpenApi.OpenApiMediaType { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" } };
                }

                operation.RequestBody = body;
                return Task.CompletedTask;
            })
            .WithTags("Evidence")
            .WithName("UploadEvidence");

    /// <summary>
    /// 000 l.138: "Evidence ... should be saved, including screen prints ..., and the time and date of the incident".
    /// The body is the file itself; its first bytes must match the declared type (PNG, JPEG or PDF), else 415.
    /// </summary>
    public static async Task<Results<Created<EvidenceResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IncidentsDbContext db, IEvidenceStorage storage, TimeProvider time,
        DateTimeOffset? capturedAt, string? fileName, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var c = await CaseAccess.LoadFullAsync(db, principal, id, "add_evidence", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var declared = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (declared is not ("image/png" or "image/jpeg" or "application/pdf"))
        {
            return Unsupported("Evidence must be a PNG, JPEG or PDF file sent with its content type.");
        }

        var errors = new FieldErrors().Optional("fileName", fileName, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Length == 0)
        {
            return errors.Add("body", "The file is empty.").ToProblem();
        }

        if (Sniff(bytes.Span) != declared)
        {
            return Unsupported("The file's content is not the PNG, JPEG or PDF its content type claims.");
        }

        var now = time.GetUtcNow();
        var evidenceId = Guid.CreateVersion7(now);
        var item = new EvidenceItem
        {
            TrustId = c.TrustId, Id = evidenceId, CaseId = c.Id,
            FileName = string.IsNullOrWhiteSpace(fileName) ? $"{evidenceId}{Extension(declared)}" : Path.GetFileName(fileName.Trim()),
            ContentType = declared, SizeBytes = bytes.Length, Sha256 = SHA256.HashData(bytes.Span),
            CapturedAt = capturedAt ?? now, UploadedAt = now, Uploader = CaseAccess.ActorOf(principal),
        };
        item.StorageKey = await storage.SaveAsync(bytes, cancellationToken);
        db.Evidence.Add(item);
        CaseAccess.Append(db, c, "evidence", new { evidenceId, item.FileName, item.ContentType, item.SizeBytes, sha256 = Convert.ToHexStringLower(item.Sha256), item.CapturedAt },
            item.Uploader, CaseAccess.RoleOf(principal, c), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/cases/{c.Id}/evidence/{item.Id}", EvidenceResponse.From(item));
    }

    /// <summary>The type by magic bytes: PNG signature, JPEG SOI marker, PDF header.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
        _ => null,
    };

    private static string Extension(string contentType) => contentType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        _ => ".pdf",
    };

    private static ProblemHttpResult Unsupported(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported evidence type", detail: detail);
}
