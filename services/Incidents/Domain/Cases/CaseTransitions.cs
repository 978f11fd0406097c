using System.Linq.Expressions;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Domain.Cases;

public enum CloseOutcome
{
    Closed,
    AlreadyClosed,
}

public enum DisposalCheck
{
    Due,
    LegalHold,
    NotDue,
}

public enum EscalateOutcome
{
    Escalated,
    CaseClosed,
}

/// <summary>
/// The state changes of a case, each returning what happened; the handlers map the outcome to an answer (a closed
/// case answers 409) and write the timeline. Pure: no database, no clock beyond the instants passed in.
/// </summary>
public static class CaseTransitions
{
    /// <summary>Outcomes the seeds name: dealt with internally (004 l.73), content removed (000 l.140), disciplinary (001 l.96), exclusion, police referral (000 l.142), no further action.</summary>
    public static readonly IReadOnlyList<string> Outcomes = ["resolved_internally", "content_removed", "disciplinary", "exclusion", "police_referral", "no_further_action"];

    /// <summary>
    /// The ladder (000 l.139-142): internal, the disciplinary or behaviour policy, a report to the platform provider
    /// ("contacting the internet service provider ... through their reporting mechanisms"), the police.
    /// </summary>
    public static readonly IReadOnlyList<string> EscalationSteps = ["internal", "disciplinary", "provider_report", "police"];

    /// <summary>Closes an open case; its retention runs from <paramref name="closedOn"/>, the day at the school.</summary>
    public static CloseOutcome Close(IncidentCase c, string outcome, bool significant, DateTimeOffset now, DateOnly closedOn)
    {
        if (c.Status != CaseStatus.Open)
        {
            return CloseOutcome.AlreadyClosed;
        }

        c.Status = CaseStatus.Closed;
        c.Outcome = outcome;
        c.Significant = significant;
        c.ClosedAt = now;
        c.RetentionUntil = CaseRouting.RetentionUntil(c.Type(), c.Restricted, c.Subject(), c.DateOfBirth, closedOn);
        return CloseOutcome.Closed;
    }

    /// <summary>Moves an open case to a step of the ladder; a closed case is not escalated.</summary>
    public static EscalateOutcome Escalate(IncidentCase c, string step)
    {
        if (c.Status != CaseStatus.Open)
        {
            return EscalateOutcome.CaseClosed;
        }

        c.EscalationStep = step;
        return EscalateOutcome.Escalated;
    }

    /// <summary>A case is overdue once its response deadline has passed while it is still open (000 l.102); flagged once.</summary>
    public static bool BecomesOverdue(IncidentCase c, DateTimeOffset now) =>
        c.Status == CaseStatus.Open && c.OverdueAt is null && c.DueAt is { } due && due <= now;

    /// <summary>Open and flagged overdue by the SLA sweep (for queries).</summary>
    public static readonly Expression<Func<IncidentCase, bool>> IsOverdue = c => c.OverdueAt != null && c.Status == CaseStatus.Open;

    /// <summary>
    /// Due for a retention review on <paramref name="today"/> (the school's day): closed and past its retention date, or a
    /// child-protection case whose retention cannot be computed (no date of birth); never while on legal hold.
    /// </summary>
    public static Expression<Func<IncidentCase, bool>> DueForReview(DateOnly today) => c => !c.LegalHold &&
        ((c.RetentionUntil != null && c.RetentionUntil <= today && c.Status == CaseStatus.Closed) ||
         (c.RetentionUntil == null && c.Restricted && c.SubjectKind == "pupil"));

    /// <summary>
    /// Whether a case may be disposed of on <paramref name="today"/>: closed and due for review, and not on legal hold. The
    /// database's dispose_case checks the same again under the row's lock (a hold placed meanwhile still wins).
    /// </summary>
    public static DisposalCheck MayBeDisposed(IncidentCase c, DateOnly today) =>
        c.LegalHold ? DisposalCheck.LegalHold
        : c.Status == CaseStatus.Closed && DueForReview(today).Compile()(c) ? DisposalCheck.Due
        : DisposalCheck.NotDue;

    /// <summary>Places or lifts a legal hold; a held case is never listed for disposal.</summary>
    public static void SetLegalHold(IncidentCase c, bool hold, string? reason)
    {
        c.LegalHold = hold;
        c.LegalHoldReason = hold ? reason?.Trim() : null;
    }

    public static CaseType Type(this IncidentCase c) => Enum.Parse<CaseType>(c.CaseType.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public static SubjectKind Subject(this IncidentCase c) => Enum.Parse<SubjectKind>(c.SubjectKind, ignoreCase: true);
}
