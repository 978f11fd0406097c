using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Completions;

/// <summary>A completed course: when, who provided it, a reference to the evidence (a certificate id, not the file) and an optional score.</summary>
public sealed record CompletionRequest(Guid CourseId, DateOnly CompletedOn, string Provider, string? EvidenceReference = null, decimal? Score = null);

public sealed record CompletionResponse(
    Guid Id, Guid PersonId, Guid CourseId, string CourseCode, DateOnly CompletedOn, string Provider, string? EvidenceReference,
    decimal? Score, DateOnly? ExpiresOn, bool Expired)
{
    public static CompletionResponse From(Completion c) =>
        new(c.Id, c.PersonId, c.CourseId, c.CourseCode, c.CompletedOn, c.Provider, c.EvidenceReference, c.Score, c.ExpiresOn, c.ExpiredAt is not null);
}
