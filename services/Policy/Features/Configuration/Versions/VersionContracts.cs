using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Versions;

/// <summary>A version of the trust's policy with its approval and publication.</summary>
/// <param name="Version">The version number, <c>major.minor</c> (<c>1.0</c>, <c>1.1</c>).</param>
/// <param name="ApprovedByBody">The body the approver signed for (Board of Trustees, governing body); null until approved.</param>
public sealed record VersionResponse(
    Guid Id, string Version, VersionKind Kind, VersionStatus Status, string Summary, DateTimeOffset CreatedAt, string CreatedBy,
    string? ApprovedByName, string? ApprovedByBody, DateOnly? ApprovedOn, DateTimeOffset? PublishedAt)
{
    public static VersionResponse From(PolicyVersion v) =>
        new(v.Id, v.Label, v.Kind, v.Status, v.Summary, v.CreatedAt, v.CreatedBy, v.ApprovedByName, v.ApprovedByBody, v.ApprovedOn, v.PublishedAt);
}

/// <summary>
/// Seed values for the contract's examples: Aspire Educational Trust's first policy (002), approved by its Board of Trustees. Plain
/// objects, so that the generator writes the kind and status as the API does.
/// </summary>
internal static class VersionExamples
{
    public static object DraftRequest => new { kind = "major", summary = "First trust-wide social media policy" };

    public static object ApproveRequest => new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = "2026-09-03" };

    public static object Draft => Example("draft", null, null, null, null);

    public static object Approved => Example("approved", "Chair of the Board of Trustees", "Board of Trustees", "2026-09-03", null);

    public static object Published => Example("published", "Chair of the Board of Trustees", "Board of Trustees", "2026-09-03", "2026-09-04T08:00:00+00:00");

    private static object Example(string status, string? approvedByName, string? approvedByBody, string? approvedOn, string? publishedAt) => new
    {
        id = "0193f1a0-0000-7000-8000-0000000001a0", version = "1.0", kind = "major", status, summary = "First trust-wide social media policy",
        createdAt = "2026-09-01T09:00:00+00:00", createdBy = "demo-ceo", approvedByName, approvedByBody, approvedOn, publishedAt,
    };
}
