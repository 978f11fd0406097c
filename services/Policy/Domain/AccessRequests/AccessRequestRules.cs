using System.Linq.Expressions;
using Trust.Platform.Policy.Domain.BlockedContent;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Domain.AccessRequests;

/// <summary>Stored as the text the API shows.</summary>
public enum AccessRequestStatus
{
    Pending,
    Approved,
    Refused,
}

public enum DecideOutcome
{
    Decided,

    /// <summary>A request is decided once: an approval or a refusal stands as given.</summary>
    AlreadyDecided,

    /// <summary>The period has ended: approving it would allow nothing, refusing it would record nothing the school needs.</summary>
    Lapsed,
}

/// <summary>A blocked-content access request's life (002 Appendix A), its visibility and its allowance, without the database.</summary>
public static class AccessRequestRules
{
    /// <summary>The longest period one request may ask for: a unit of lessons (half a term is about six weeks); longer needs a new request.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(42);

    /// <summary>How far ahead a request may start: a term's planning.</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(120);

    public static string Name(AccessRequestStatus status) => status.ToString().ToLowerInvariant();

    public static AccessRequestStatus Parse(string status) => Enum.Parse<AccessRequestStatus>(status, ignoreCase: true);

    /// <summary>The platform role a value of <c>blocked_sites.access_approver</c> names (the catalogue's choices are role names).</summary>
    public static string ApproverRole(string? setting) => setting switch
    {
        "dsl" => Role.Dsl,
        "ict_technician" => Role.IctTechnician,
        _ => Role.Headteacher, // 002 l.245-247: "approved by the headteacher/principal", the catalogue's default
    };

    public static DecideOutcome Decide(BlockedContentRequest request, bool approve, string reason, string decidedBy, string decidedAs, DateTimeOffset now)
    {
        if (request.Status != AccessRequestStatus.Pending)
        {
            return DecideOutcome.AlreadyDecided;
        }

        if (approve && request.AllowedUntil <= now)
        {
            return DecideOutcome.Lapsed;
        }

        request.Status = approve ? AccessRequestStatus.Approved : AccessRequestStatus.Refused;
        request.DecidedAt = now;
        request.DecidedBy = decidedBy;
        request.DecidedAs = decidedAs;
        request.DecisionReason = reason;
        request.RowVersion++;
        return DecideOutcome.Decided;
    }

    /// <summary>Approved and not lapsed: what the school's feed lists as an allowance (from its start).</summary>
    public static Expression<Func<BlockedContentRequest, bool>> Allowing(DateTimeOffset now) =>
        r => r.Status == AccessRequestStatus.Approved && r.AllowedUntil > now;

    public static Allowance ToAllowance(BlockedContentRequest r) => new(r.Site, r.AllowedFrom, r.AllowedUntil);

    /// <summary>
    /// Who sees a school's requests: those who may decide or oversee them see every one; anyone else only their own (the
    /// reasons are a member of staff's, not the staff room's). Single loads and lists use this one expression.
    /// </summary>
    public static Expression<Func<BlockedContentRequest, bool>> VisibleTo(bool seesAll, string subject) =>
        r => seesAll || r.RequestedBy == subject;
}
