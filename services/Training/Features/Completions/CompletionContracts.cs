using FluentValidation;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Completions;

/// <summary>A completed course: when, who provided it, a reference to the evidence (a certificate id, not the file) and an optional score.</summary>
/// <param name="CompletedOn">The day it was completed (yyyy-MM-dd), not after today at the school.</param>
/// <param name="Score">A percentage, 0-100.</param>
public sealed record CompletionRequest(Guid CourseId, DateOnly CompletedOn, string Provider, string? EvidenceReference = null, decimal? Score = null);

public sealed record CompletionResponse(
    Guid Id, Guid PersonId, Guid CourseId, string CourseCode, DateOnly CompletedOn, string Provider, string? EvidenceReference,
    decimal? Score, DateOnly? ExpiresOn, bool Expired)
{
    public static CompletionResponse From(Completion c) =>
        new(c.Id, c.PersonId, c.CourseId, c.CourseCode, c.CompletedOn, c.Provider, c.EvidenceReference, c.Score, c.ExpiresOn, c.ExpiredAt is not null);
}

public sealed class CompletionRequestRules : AbstractValidator<CompletionRequest>
{
    public const int ProviderMaxLength = 200;

    public const int EvidenceReferenceMaxLength = 500;

    public const decimal MinScore = 0m;

    public const decimal MaxScore = 100m;

    public CompletionRequestRules()
    {
        RuleFor(x => x.Provider).NotEmpty().WithMessage("Required.").MaximumLength(ProviderMaxLength);
        RuleFor(x => x.EvidenceReference).MaximumLength(EvidenceReferenceMaxLength);
        RuleFor(x => x.Score).InclusiveBetween(MinScore, MaxScore).WithMessage("Between 0 and 100.");
    }
}

/// <summary>Contract examples (003: "teachers will receive training in identifying potentially at-risk pupils").</summary>
internal static class CompletionExamples
{
    private static readonly Guid Course = Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000c2");

    public static readonly CompletionRequest AtRiskPupils = new(Course, new DateOnly(2026, 9, 10), "National College", "NC-CERT-20260910", 92.5m);

    public static readonly CompletionResponse Recorded = new(Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000d1"), Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000b2"),
        Course, "at_risk_pupils", AtRiskPupils.CompletedOn, "National College", "NC-CERT-20260910", 92.5m, new DateOnly(2028, 9, 10), false);
}

/// <summary>
/// One completion as an MIS or learning platform sends it. The person is named by <c>misId</c> (the MIS's id, as the roster sync
/// keeps it) or <c>personId</c>; the course by <c>courseCode</c> or <c>courseId</c>. Dates and ids are strings so that a bad value
/// fails its own row (reported by row and field) instead of the whole import.
/// </summary>
/// <param name="CompletedOn">yyyy-MM-dd, not after today at the school.</param>
/// <param name="Score">A percentage, 0-100.</param>
public sealed record CompletionImportRow(
    string? MisId = null,
    string? PersonId = null,
    string? CourseCode = null,
    string? CourseId = null,
    string? CompletedOn = null,
    string? Provider = null,
    string? EvidenceReference = null,
    decimal? Score = null);

/// <summary>Up to 10,000 completions to record.</summary>
public sealed record CompletionImportRequest(IReadOnlyList<CompletionImportRow> Completions);

/// <summary>
/// An import of completions: its outcome, how many rows were recorded, how many were already on record (same person, course and
/// completed date), and the rows it refused by row and field (the roster sync's format).
/// </summary>
public sealed record CompletionImportResponse(
    Guid Id,
    Guid SchoolId,
    Domain.Roster.RosterJobStatus Status,
    Domain.Roster.RosterFormat Format,
    int Total,
    int Recorded,
    int Unchanged,
    int Rejected,
    IReadOnlyList<Roster.RowError> Errors,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    public static CompletionImportResponse From(RosterJob job) => new(
        job.Id, job.SchoolId, job.Status, job.Format, job.Total, job.Recorded, job.Unchanged, job.Rejected,
        System.Text.Json.JsonSerializer.Deserialize<List<Roster.RowError>>(job.Errors, System.Text.Json.JsonSerializerOptions.Web) ?? [],
        job.CreatedAt, job.FinishedAt);
}
