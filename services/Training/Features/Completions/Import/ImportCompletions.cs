using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Domain.Completions;
using Trust.Platform.Training.Domain.Roster;
using Trust.Platform.Training.Features.Completions.Expiry;
using Trust.Platform.Training.Features.Roster;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Completions.Import;

/// <summary>The school in the route beside the payload: a JSON body is read into <see cref="Body"/>; a CSV body is read by the handler.</summary>
public sealed class ImportCompletionsCommand
{
    public Guid SchoolId { get; init; }

    [FromBody]
    public CompletionImportRequest? Body { get; init; }
}

/// <summary>
/// An MIS or learning platform imports a term's training: up to 10,000 completions as JSON or CSV. Valid rows are recorded as
/// if one at a time (expiry, compliance summary, TrainingCompleted), rows already on record add nothing, bad rows are reported by
/// row and field; the answer is the import's job, readable again at its Location.
/// </summary>
public sealed class ImportCompletions(TrainingDbContext db, TimeProvider time, ExpirySignal expiry)
    : PlatformEndpoint<ImportCompletionsCommand, Results<Created<CompletionImportResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/completions/import");
        Allow(RoleSets.SchoolLeaders, Scope.TrainingWrite);
        Description(b => b.Accepts<CompletionImportRequest>("application/json", CompletionImportCsv.ContentType).WithMetadata(new ImportBodyLimit()),
            clearDefaults: false);
        Document("Completions", "Import completed courses",
            "Records up to 10,000 completions at once (JSON, or CSV with a header row and columns " + string.Join(", ", CompletionImportCsv.Columns) +
            ": mis_id or person_id, course_code or course_id, completed_on as yyyy-MM-dd, provider, optional evidence_reference and score). " +
            "A person is named by the MIS id the roster sync keeps (or the platform's id); a course by its code in the trust's catalogue (or id). " +
            "Each row is checked as `POST .../people/{personId}/completions` checks one; the valid rows are recorded and the refused ones " +
            "reported by row (1-based, the CSV header not counted), field and reason, as the roster sync does. The natural key of a completion " +
            "is (person, course, completed date): a row already on record adds nothing and counts as unchanged, so sending the same file again " +
            "records nothing twice and needs no Idempotency-Key; a row repeating another row's key is refused. Each completion recorded expires " +
            "by its course's validity, counts towards compliance at once and is announced (TrainingCompleted), as one recorded alone. More " +
            "than 10,000 rows is a 400; a body over 16 MB a 413. For the school's headteacher, the trust's admins, or a key with training:write.");
        Problems(413, 415);
        Summary(s =>
        {
            s.ExampleRequest = CompletionImportExamples.Term;
            s.ResponseExamples[201] = CompletionImportExamples.Job;
        });
    }

    public override async Task<Results<Created<CompletionImportResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(ImportCompletionsCommand command, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == command.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var isCsv = HttpContext.Request.ContentType?.StartsWith(CompletionImportCsv.ContentType, StringComparison.OrdinalIgnoreCase) == true;
        var (request, readErrors, problem) = isCsv ? await CompletionImportCsv.ReadAsync(HttpContext.Request.Body, ct) : (command.Body, [], null);
        if (problem is not null)
        {
            return problem;
        }

        if (request?.Completions is null || request.Completions.Count > CompletionImport.MaxRows)
        {
            return ApiProblem.Invalid("completions", $"Between 0 and {CompletionImport.MaxRows} completions per request.");
        }

        var now = time.GetUtcNow();
        var today = time.TodayAt(school.TimeZone);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await CompletionImport.ApplyAsync(db, command.SchoolId, request.Completions, readErrors, today, now, ct);
        var job = Job(command.SchoolId, isCsv ? RosterFormat.Csv : RosterFormat.Json, request.Completions.Count, outcome, now);
        db.RosterJobs.Add(job);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (outcome.Recorded.Any(c => CompletionRules.AlreadyExpired(c, today)))
        {
            expiry.Notify();
        }

        return TypedResults.Created($"/v1/schools/{command.SchoolId}/completions/jobs/{job.Id}", CompletionImportResponse.From(job));
    }

    private RosterJob Job(Guid schoolId, RosterFormat format, int total, CompletionImportOutcome outcome, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SchoolId = schoolId,
        Kind = ImportKind.Completions,
        Status = outcome.Errors.Count == 0 ? RosterJobStatus.Succeeded : RosterJobStatus.SucceededWithErrors,
        Format = format,
        Total = total,
        Processed = total,
        Recorded = outcome.Recorded.Count,
        Unchanged = outcome.Unchanged,
        Rejected = total - outcome.Recorded.Count - outcome.Unchanged,
        Errors = JsonSerializer.Serialize(outcome.Errors, JsonSerializerOptions.Web),
        CreatedAt = now,
        FinishedAt = time.GetUtcNow(),
    };
}

/// <summary>The payload's size limits, decided before anything is read; a row's own fields are reported on their row, not refused here.</summary>
public sealed class ImportCompletionsValidator : Validator<ImportCompletionsCommand>
{
    public ImportCompletionsValidator()
    {
        RuleFor(x => x.Body!.Completions).NotNull().WithMessage("Required: the completions to record (an empty list is allowed).")
            .Must(c => c.Count <= CompletionImport.MaxRows).WithMessage($"At most {CompletionImport.MaxRows} completions per request.")
            .When(x => x.Body is not null).OverridePropertyName("completions");
        // Per row only when a row is past a hard size: a validation context per row of a 10,000-row file is the costly part.
        RuleForEach(x => x.Body!.Completions).SetValidator(new CompletionImportRowLimits())
            .When(x => x.Body?.Completions is { } rows && rows.Any(CompletionImportRowLimits.Exceeds))
            .OverridePropertyName("completions");
    }
}

/// <summary>The hard size of one row (well above the row rules, which report a too-long field on its row).</summary>
public sealed class CompletionImportRowLimits : AbstractValidator<CompletionImportRow>
{
    private const int IdMax = 100;
    private const int TextMax = 1000;
    private const int DateMax = 50;
    private const int EvidenceMax = 2000;
    private const decimal ScoreBound = 1_000_000m;

    public CompletionImportRowLimits()
    {
        RuleFor(x => x.MisId).MaximumLength(TextMax);
        RuleFor(x => x.PersonId).MaximumLength(IdMax);
        RuleFor(x => x.CourseCode).MaximumLength(TextMax);
        RuleFor(x => x.CourseId).MaximumLength(IdMax);
        RuleFor(x => x.CompletedOn).MaximumLength(DateMax);
        RuleFor(x => x.Provider).MaximumLength(TextMax);
        RuleFor(x => x.EvidenceReference).MaximumLength(EvidenceMax);
        RuleFor(x => x.Score).InclusiveBetween(-ScoreBound, ScoreBound);
    }

    /// <summary>Whether a rule above refuses the row (the same bounds, checked without a validation context).</summary>
    public static bool Exceeds(CompletionImportRow row) =>
        row.MisId?.Length > TextMax || row.PersonId?.Length > IdMax || row.CourseCode?.Length > TextMax || row.CourseId?.Length > IdMax
        || row.CompletedOn?.Length > DateMax || row.Provider?.Length > TextMax || row.EvidenceReference?.Length > EvidenceMax
        || row.Score is < -ScoreBound or > ScoreBound;
}

/// <summary>Contract examples (003: "teachers will receive training in identifying potentially at-risk pupils").</summary>
internal static class CompletionImportExamples
{
    public static readonly CompletionImportRequest Term = new(
    [
        new CompletionImportRow(MisId: "MIS-1042", CourseCode: "at_risk_pupils", CompletedOn: "2026-09-10", Provider: "National College",
            EvidenceReference: "NC-CERT-20260910", Score: 92.5m),
        new CompletionImportRow(MisId: "MIS-1043", CourseCode: "social_media_policy", CompletedOn: "2026-09-11", Provider: "National College"),
    ]);

    public static readonly CompletionImportResponse Job = new(Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000e1"), Guid.Parse("0190f5a2-3c4d-7e00-8a00-000000000003"),
        RosterJobStatus.Succeeded, RosterFormat.Json, 2, 2, 0, 0, [], new DateTimeOffset(2026, 9, 12, 9, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 9, 12, 9, 0, 1, TimeSpan.Zero));
}
