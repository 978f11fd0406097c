using Trust.Platform.Hosting.Endpoints;
using System.Security.Cryptography;
using FastEndpoints;
using FluentValidation;
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

/// <summary>A multipart/form-data upload: the <c>file</c> part (PNG, JPEG or PDF, with its content type), and when it was captured.</summary>
public sealed class UploadEvidenceCommand
{
    public Guid Id { get; init; }

    /// <summary>The screen print or document: PNG, JPEG or PDF, at most 10 MB; its part's content type must match its bytes.</summary>
    public IFormFile File { get; init; } = null!;

    /// <summary>When the screen print was taken (000 l.138: "the time and date of the incident"); the upload time when omitted.</summary>
    [QueryParam]
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>The name to keep; the part's own file name (or one made from the id) when omitted.</summary>
    [QueryParam]
    public string? FileName { get; init; }
}

public sealed class UploadEvidenceValidator : Validator<UploadEvidenceCommand>
{
    public UploadEvidenceValidator()
    {
        RuleFor(x => x.File).NotNull().WithMessage("Required: the evidence file as the `file` part.");
        RuleFor(x => x.FileName).MaximumLength(200);
    }
}

/// <summary>
/// 000 l.138: "Evidence ... should be saved, including screen prints ..., and the time and date of the incident".
/// The file's first bytes must match its declared type (PNG, JPEG or PDF), else 415.
/// </summary>
public sealed class UploadEvidence(IncidentsDbContext db, IEvidenceStorage storage, TimeProvider time)
    : PlatformEndpoint<UploadEvidenceCommand, Results<Created<EvidenceResponse>, NotFound, ProblemHttpResult>>
{
    public const long MaxBytes = 10 * 1024 * 1024;

    private static readonly string[] Accepted = ["image/png", "image/jpeg", "application/pdf"];

    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/evidence");
        Allow(RoleSets.AnyoneInSchool);
        // The contract's multipart body. Routing then answers 415 to a body that is not multipart/form-data, before
        // authentication: that reveals nothing about any case, and every multipart request is authorised as before.
        AllowFileUploads();
        // Evidence may be larger than the platform's 1 MiB body default: 10 MB here, 413 above.
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(MaxBytes)));
        Document("Evidence", "Attach evidence to a case",
            "A multipart/form-data upload with one `file` part: a screen print or document (PNG, JPEG or PDF, at most 10 MB) saved with the time and " +
            "date it was captured (000 l.138, 003 l.123). The part's content type must match the file's bytes (else 415). Stored encrypted; its " +
            "SHA-256 goes on the case's timeline. For those who may read the whole case.");
        Problems(413, 415);
    }

    public override async Task<Results<Created<EvidenceResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(UploadEvidenceCommand command, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, command.Id, "add_evidence", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var declared = command.File?.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (command.File is not { } file || !Accepted.Contains(declared))
        {
            return Unsupported("Evidence is a PNG, JPEG or PDF file sent as the `file` part of a multipart/form-data body, with its content type.");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Length == 0)
        {
            return ApiProblem.Invalid("file", "The file is empty.");
        }

        if (Sniff(bytes.Span) != declared)
        {
            return Unsupported("The file's content is not the PNG, JPEG or PDF its content type claims.");
        }

        var item = NewItem(c, command.FileName ?? file.FileName, declared!, bytes.Span, command.CapturedAt);
        item.StorageKey = await storage.SaveAsync(bytes, ct);
        db.Evidence.Add(item);
        CaseAccess.Append(db, c, "evidence", new { evidenceId = item.Id, item.FileName, item.ContentType, item.SizeBytes, sha256 = Convert.ToHexStringLower(item.Sha256), item.CapturedAt },
            item.Uploader, CaseAccess.RoleOf(Caller, c), item.UploadedAt);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/cases/{c.Id}/evidence/{item.Id}", EvidenceResponse.From(item));
    }

    private EvidenceItem NewItem(IncidentCase c, string? fileName, string contentType, ReadOnlySpan<byte> bytes, DateTimeOffset? capturedAt)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        return new EvidenceItem
        {
            TrustId = c.TrustId, Id = id, CaseId = c.Id,
            FileName = string.IsNullOrWhiteSpace(fileName) ? $"{id}{Extension(contentType)}" : Path.GetFileName(fileName.Trim()),
            ContentType = contentType, SizeBytes = bytes.Length, Sha256 = SHA256.HashData(bytes),
            CapturedAt = capturedAt ?? now, UploadedAt = now, Uploader = Caller.Actor,
        };
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
