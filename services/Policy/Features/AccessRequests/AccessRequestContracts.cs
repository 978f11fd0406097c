using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.AccessRequests;

/// <summary>A request to reach a blocked site (002 Appendix A) and its decision.</summary>
/// <param name="Site">The host name the allowance covers, as the blocked-sites feed lists it.</param>
/// <param name="FullUrl">The page asked for, when the form named one.</param>
/// <param name="IntendedUse">The lesson or use the site is needed for.</param>
/// <param name="AllowedFrom">When the allowance starts, once approved.</param>
/// <param name="AllowedUntil">When it lapses: the feed stops listing it then.</param>
/// <param name="Status"><c>pending</c>, <c>approved</c> or <c>refused</c>; decided once.</param>
/// <param name="InForce">Approved, started and not lapsed: the school's feed lists it now.</param>
/// <param name="SiteContent">What the site holds (002 Appendix A).</param>
/// <param name="RisksAndControls">The risks and control measures the requester named (002 Appendix A).</param>
/// <param name="DecidedAs">The approver role (the school's <c>blocked_sites.access_approver</c>) the decider held.</param>
public sealed record AccessRequestResponse(
    Guid Id, Guid SchoolId, string Site, string? FullUrl, string Reason, string IntendedUse, DateTimeOffset AllowedFrom, DateTimeOffset AllowedUntil,
    string Status, bool InForce, DateTimeOffset RequestedAt, string RequestedBy, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecidedAs,
    string? DecisionReason, string SiteContent, string? RisksAndControls)
{
    public static AccessRequestResponse From(BlockedContentRequest r, DateTimeOffset now) => new(
        r.Id, r.SchoolId, r.Site, r.FullUrl, r.Reason, r.IntendedUse, r.AllowedFrom, r.AllowedUntil, AccessRequestRules.Name(r.Status),
        r.Status == AccessRequestStatus.Approved && r.AllowedFrom <= now && now < r.AllowedUntil, r.RequestedAt, r.RequestedBy, r.DecidedAt, r.DecidedBy,
        r.DecidedAs, r.DecisionReason, r.SiteContent, r.RisksAndControls);
}

/// <summary>Examples for the contract: a Mellers (003) Computing lesson on video sites, the seed's blocked-content case.</summary>
internal static class AccessRequestExamples
{
    private static readonly DateTimeOffset From = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static object Request => ContractExample.Of(new Create.CreateAccessRequestRequest(
        "youtube.com", "Year 6 e-safety lesson on judging online video", "Computing, Year 6, spring term 2",
        From, From.AddDays(14), "Video sharing: short films on judging whether online videos are true", "https://www.youtube.com/watch?v=example",
        "Pupils watch on the teacher's screen only; comments hidden."));

    public static AccessRequestResponse Approved => new(
        Guid.Parse("0193f1a0-0000-7000-8000-000000000c01"), Guid.Parse("0193f1a0-0000-7000-8000-000000000003"), "youtube.com",
        "https://www.youtube.com/watch?v=example", "Year 6 e-safety lesson on judging online video", "Computing, Year 6, spring term 2", From, From.AddDays(14),
        "approved", true, From.AddDays(-3), "demo-staff-mellers", From.AddDays(-2), "demo-head-mellers", "headteacher", "Supervised lesson; the class uses the teacher's screen.",
        "Video sharing: short films on judging whether online videos are true", "Pupils watch on the teacher's screen only; comments hidden.");
}

/// <summary>Who sees every request of a school: those who may be named to decide them, and the trust's admins.</summary>
internal static class AccessRequestAccess
{
    public static bool SeesAll(Trust.Platform.Hosting.Auth.PlatformPrincipal caller, Guid schoolId) =>
        caller.CanActForSchool(schoolId, [Role.TrustAdmin, .. Trust.Platform.Hosting.Auth.RoleSets.BlockedContentApprovers]);
}
