using System.Security.Cryptography;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Domain.Acknowledgements;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Acknowledgements.Sheets.Record;

/// <summary>A multipart/form-data upload: the <c>file</c> part (the scan) and the form fields naming who signed it.</summary>
public sealed class RecordAcknowledgementSheetCommand
{
    public Guid SchoolId { get; init; }

    /// <summary>The scan of the signed sheet: PDF, PNG or JPEG, at most 10 MB; its part's content type must match its bytes.</summary>
    public IFormFile File { get; init; } = null!;

    /// <summary>The people who signed, by the platform's person id, separated by commas (with or instead of misIds).</summary>
    public string? PersonIds { get; init; }

    /// <summary>The people who signed, by the MIS id the roster sync keeps, separated by commas (with or instead of personIds).</summary>
    public string? MisIds { get; init; }

    /// <summary>The version signed for; the school's current (latest published) version when omitted.</summary>
    public Guid? PolicyVersionId { get; init; }
}

public sealed class RecordAcknowledgementSheetValidator : Validator<RecordAcknowledgementSheetCommand>
{
    public RecordAcknowledgementSheetValidator()
    {
        RuleFor(x => x.File).NotNull().WithMessage("Required: the scan of the signed sheet as the `file` part.");
        RuleFor(x => x.PersonIds).MaximumLength(40_000);
        RuleFor(x => x.MisIds).MaximumLength(60_000);
        RuleFor(x => x.PersonIds).Must((command, ids) => !string.IsNullOrWhiteSpace(ids) || !string.IsNullOrWhiteSpace(command.MisIds))
            .WithMessage("Name the people who signed in personIds or misIds.");
    }
}

/// <summary>
/// A headteacher or an integration records a signed paper sheet: the listed people acknowledged a version of the school's policy. The
/// scan is the evidence, kept with its SHA-256; each acknowledgement records method paper_sheet, who recorded it and the sheet.
/// </summary>
public sealed class RecordAcknowledgementSheet(TrainingDbContext db, TimeProvider time)
    : PlatformEndpoint<RecordAcknowledgementSheetCommand, Results<Created<AcknowledgementSheetResponse>, Ok<AcknowledgementSheetResponse>, NotFound, ProblemHttpResult>>
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxPeople = 500;

    private static readonly string[] Accepted = ["image/png", "image/jpeg", "application/pdf"];

    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/acknowledgement-sheets");
        Allow(RoleSets.SchoolLeaders, Scope.TrainingWrite);
        AllowFileUploads();
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(MaxBytes + 256 * 1024)));
        Document("Acknowledgements", "Record a signed acknowledgement sheet",
            "A multipart/form-data upload: the `file` part, a scan of the sheet the people signed on paper (PDF, PNG or JPEG, at most 10 MB; the part's " +
            "content type must match the file's bytes, else 415), and the form fields `personIds` and/or `misIds` (comma-separated, at most 500 " +
            "people) and optionally `policyVersionId` (the school's current version when omitted). Every person named must be on the school's roster " +
            "and not have left, else the sheet is refused whole (400 naming the field and the ids), since a sheet that names someone else is not " +
            "evidence for anyone. The scan is kept with its SHA-256; each person who has not acknowledged the version gets an acknowledgement with " +
            "method paper_sheet, who recorded it and the sheet, announced as PolicyAcknowledged; a person who already acknowledged it (themself or " +
            "from another sheet) keeps that one. Recording the same scan for the same version again adds only people not yet acknowledged and " +
            "answers 200 with the sheet first recorded. For the school's headteacher, the trust's admins, or a key with training:write.");
        Problems(413, 415);
    }

    public override async Task<Results<Created<AcknowledgementSheetResponse>, Ok<AcknowledgementSheetResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(
        RecordAcknowledgementSheetCommand command, CancellationToken ct)
    {
        if (!await db.SchoolExistsAsync(command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var (bytes, declared, refused) = await ScanAsync(command.File, ct);
        if (refused is not null)
        {
            return refused;
        }

        var version = await VersionAsync(command, ct);
        if (version is null)
        {
            return ApiProblem.Invalid("policyVersionId", command.PolicyVersionId is null
                ? "The school has no published policy to acknowledge yet."
                : "Not a published version of this school's policy.");
        }

        var (people, unknown) = await SignatoriesAsync(command, ct);
        if (unknown is not null)
        {
            return unknown;
        }

        var sha256 = SHA256.HashData(bytes);
        // Uploads at one school are recorded one at a time: two of the same scan (a double click, a retry) or two sheets naming the
        // same person at the same instant would otherwise both find nothing recorded and meet the unique indexes. The second waits,
        // then finds the first's sheet and acknowledgements.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(hashtextextended('training.acknowledgement_sheet:' || {command.SchoolId.ToString()}, 0))", ct);
        var sheet = await db.AcknowledgementSheets.SingleOrDefaultAsync(
            s => s.SchoolId == command.SchoolId && s.PolicyVersionId == version.PolicyVersionId && s.Sha256 == sha256, ct);
        var created = sheet is null;
        var now = time.GetUtcNow();
        sheet ??= NewSheet(command, version, declared!, bytes, sha256, now);
        var (acknowledged, already) = await AcknowledgeAsync(people, version, sheet, now, ct);

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var response = new AcknowledgementSheetResponse(sheet.Id, sheet.SchoolId, sheet.PolicyVersionId, version.Version, sheet.FileName, sheet.ContentType,
            sheet.SizeBytes, Convert.ToHexStringLower(sheet.Sha256), sheet.RecordedBy, sheet.RecordedAt, acknowledged, already);
        return created
            ? TypedResults.Created($"/v1/schools/{command.SchoolId}/acknowledgement-sheets/{sheet.Id}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>The version named, or the school's current (latest published) one.</summary>
    private Task<PolicyVersion?> VersionAsync(RecordAcknowledgementSheetCommand command, CancellationToken ct) =>
        command.PolicyVersionId is { } versionId
            ? db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.PolicyVersionId == versionId && v.SchoolId == command.SchoolId, ct)
            : db.PolicyVersions.AsNoTracking().Where(v => v.SchoolId == command.SchoolId).OrderByDescending(v => v.PublishedAt).FirstOrDefaultAsync(ct);

    /// <summary>A paper acknowledgement for each person who has none of this version; those who have one keep it.</summary>
    private async Task<(List<Guid> Acknowledged, List<Guid> Already)> AcknowledgeAsync(
        List<Guid> people, PolicyVersion version, AcknowledgementSheet sheet, DateTimeOffset now, CancellationToken ct)
    {
        var already = await db.Acknowledgements.AsNoTracking()
            .Where(a => a.PolicyVersionId == version.PolicyVersionId && people.Contains(a.PersonId)).Select(a => a.PersonId).ToListAsync(ct);
        var acknowledged = people.Except(already).ToList();
        foreach (var person in acknowledged)
        {
            var (acknowledgement, announced) = AcknowledgementRules.New(db.Tenant.TrustId!.Value, sheet.SchoolId, person, version, now,
                AcknowledgementMethod.PaperSheet, Caller.Actor, sheet.Id);
            db.Acknowledgements.Add(acknowledgement);
            db.AddEvent(announced, person.ToString(), now);
        }

        return (acknowledged, already);
    }

    /// <summary>The scan's bytes and type by its magic bytes (the same check as Incidents' evidence): PNG, JPEG or PDF, not empty.</summary>
    private static async Task<(byte[] Bytes, string? ContentType, ProblemHttpResult? Refused)> ScanAsync(IFormFile? file, CancellationToken ct)
    {
        var declared = file?.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (file is null || !Accepted.Contains(declared))
        {
            return ([], null, Unsupported("The sheet is a PDF, PNG or JPEG file sent as the `file` part of a multipart/form-data body, with its content type."));
        }

        if (file.Length > MaxBytes)
        {
            return ([], null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Sheet too large", detail: "At most 10 MB."));
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        if (bytes.Length == 0)
        {
            return ([], null, ApiProblem.Invalid("file", "The file is empty."));
        }

        return Sniff(bytes) == declared
            ? (bytes, declared, null)
            : ([], null, Unsupported("The file's content is not the PDF, PNG or JPEG its content type claims."));
    }

    /// <summary>The type by magic bytes: PNG signature, JPEG SOI marker, PDF header.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
        _ => null,
    };

    /// <summary>The people named, all of them on the roster and not left; otherwise a 400 naming the field and the ids not found.</summary>
    private async Task<(List<Guid> People, ProblemHttpResult? Unknown)> SignatoriesAsync(RecordAcknowledgementSheetCommand command, CancellationToken ct)
    {
        static string[] Split(string? list) =>
            (list ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        var idTexts = Split(command.PersonIds);
        var misIds = Split(command.MisIds);
        if (idTexts.Length + misIds.Length > MaxPeople)
        {
            return ([], ApiProblem.Invalid(idTexts.Length > 0 ? "personIds" : "misIds", $"At most {MaxPeople} people per sheet."));
        }

        if (idTexts.FirstOrDefault(t => !Guid.TryParse(t, out _)) is { } bad)
        {
            return ([], ApiProblem.Invalid("personIds", $"'{bad}' is not a person id."));
        }

        var ids = idTexts.Select(Guid.Parse).ToArray();
        var found = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == command.SchoolId && p.LeftAt == null && (ids.Contains(p.Id) || misIds.Contains(p.MisId!)))
            .Select(p => new { p.Id, p.MisId }).ToListAsync(ct);
        var missingIds = ids.Where(id => found.All(p => p.Id != id)).ToList();
        if (missingIds.Count > 0)
        {
            return ([], ApiProblem.Invalid("personIds", "Not on this school's roster, or has left: " + string.Join(", ", missingIds) + "."));
        }

        var missingMis = misIds.Where(m => found.All(p => p.MisId != m)).ToList();
        if (missingMis.Count > 0)
        {
            return ([], ApiProblem.Invalid("misIds", "Not on this school's roster, or has left: " + string.Join(", ", missingMis) + "."));
        }

        return (found.Select(p => p.Id).Distinct().ToList(), null);
    }

    private AcknowledgementSheet NewSheet(RecordAcknowledgementSheetCommand command, PolicyVersion version, string contentType, byte[] bytes, byte[] sha256,
        DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var name = Path.GetFileName(command.File.FileName?.Trim() ?? "");
        var sheet = new AcknowledgementSheet
        {
            TrustId = db.Tenant.TrustId!.Value, Id = id, SchoolId = command.SchoolId, PolicyVersionId = version.PolicyVersionId,
            FileName = name.Length is > 0 and <= 200 ? name : $"acknowledgement-sheet-{id}{Extension(contentType)}", ContentType = contentType,
            SizeBytes = bytes.Length, Sha256 = sha256, Content = bytes, RecordedBy = Caller.Actor, RecordedAt = now,
        };
        db.AcknowledgementSheets.Add(sheet);
        return sheet;
    }

    private static string Extension(string contentType) => contentType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        _ => ".pdf",
    };

    private static ProblemHttpResult Unsupported(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported sheet type", detail: detail);
}
