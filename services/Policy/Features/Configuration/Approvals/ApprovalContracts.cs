using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Approvals;

/// <summary>A school's own approval of a published version of the trust's policy.</summary>
/// <param name="Version">The version approved, <c>major.minor</c>.</param>
/// <param name="ApprovingBody">The school's body that approved it (000: Governing Body).</param>
/// <param name="ApproverName">Who signed for it.</param>
/// <param name="ApprovedOn">The date of the approving meeting.</param>
/// <param name="NextReviewOn">The approval date plus the school's review cycle when it was recorded; the school's document shows it unless the school set its own review date.</param>
public sealed record SchoolApprovalResponse(
    Guid SchoolId, Guid VersionId, string Version, string ApprovingBody, string ApproverName, DateOnly ApprovedOn, DateOnly NextReviewOn,
    DateTimeOffset RecordedAt, string RecordedBy)
{
    public static SchoolApprovalResponse From(SchoolApproval a, PolicyVersion v) =>
        new(a.SchoolId, a.VersionId, v.Label, a.ApprovingBody, a.ApproverName, a.ApprovedOn, a.NextReviewOn, a.RecordedAt, a.RecordedBy);
}

/// <summary>Old Basford School's (000) approval: Governing Body, 24.03.2026, reviewed in 2 years (line 203).</summary>
internal static class ApprovalExamples
{
    public static object Request => ContractExample.Of(new Record.RecordSchoolApprovalRequest("Governing Body", "Chair of Governors", new DateOnly(2026, 3, 24)));

    public static SchoolApprovalResponse OldBasford => new(
        Guid.Parse("0193f1a0-0000-7000-8000-000000000b00"), Guid.Parse("0193f1a0-0000-7000-8000-0000000001a0"), "1.0", "Governing Body", "Chair of Governors",
        new DateOnly(2026, 3, 24), new DateOnly(2028, 3, 24), new DateTimeOffset(2026, 3, 25, 9, 0, 0, TimeSpan.Zero), "demo-head-old-basford");

    public static object Recorded => ContractExample.Of(OldBasford);
}
