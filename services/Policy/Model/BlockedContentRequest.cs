using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Policy.Domain.AccessRequests;

namespace Trust.Platform.Policy.Model;

/// <summary>A request to reach a blocked site for a period (002 Appendix A), and its one decision.</summary>
public sealed class BlockedContentRequest : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    /// <summary>The host name the allowance covers, as the feed lists it.</summary>
    public string Site { get; set; } = "";

    /// <summary>The full URL of the form (002 Appendix A: "Full URL"), when the request is for one page.</summary>
    public string? FullUrl { get; set; }

    public string Reason { get; set; } = "";

    /// <summary>What the site holds (002 Appendix A: "Site content").</summary>
    public string SiteContent { get; set; } = "";

    /// <summary>002 Appendix A: "Identified risks and control measures".</summary>
    public string? RisksAndControls { get; set; }

    /// <summary>The lesson or use the site is needed for.</summary>
    public string IntendedUse { get; set; } = "";

    public DateTimeOffset AllowedFrom { get; set; }

    public DateTimeOffset AllowedUntil { get; set; }

    public AccessRequestStatus Status { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public string RequestedBy { get; set; } = "";

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    /// <summary>The approver role the decider held (the school's <c>blocked_sites.access_approver</c> then).</summary>
    public string? DecidedAs { get; set; }

    public string? DecisionReason { get; set; }

    public long RowVersion { get; set; } = 1;
}
