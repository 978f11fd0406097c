using System.Linq.Expressions;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.Disposals;

/// <summary>
/// The tombstone of a disposed case: what it was, when and by whom it was disposed and why. <c>type</c> is null for a
/// restricted case unless the caller is the school's DSL (a restricted case's type stays with the DSL, as in the statistics).
/// </summary>
public sealed record CaseDisposalResponse(
    Guid CaseId,
    Guid SchoolId,
    string? Type,
    bool Restricted,
    string ReceivedMonth,
    DateOnly? RetentionUntil,
    DateTimeOffset DisposedAt,
    string DisposedBy,
    string DisposedByRole,
    string Reason,
    int TimelineEntries,
    int EvidenceFiles)
{
    public static CaseDisposalResponse From(CaseDisposal d, CaseViewer viewer) => new(
        d.CaseId, d.SchoolId,
        !d.Restricted || viewer.Dsl.All || viewer.Dsl.Schools.Contains(d.SchoolId) ? d.CaseType : null,
        d.Restricted, d.ReceivedMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), d.RetentionUntil,
        d.DisposedAt, d.Actor, d.ActorRole, d.Reason, d.TimelineEntries, d.EvidenceFiles);
}

/// <summary>
/// Who may see a tombstone, from what the case was: the school's DSL; the trust admin for a case that was neither
/// restricted nor about the headteacher; never the headteacher for a case about the headteacher (the case's subject,
/// as <see cref="CaseVisibility"/> says). A staff subject is not known any more: the tombstone does not keep who it was about.
/// </summary>
public static class DisposalVisibility
{
    public static Expression<Func<CaseDisposal, bool>> Readable(CaseViewer v) => d =>
        !(d.AboutHeadteacher && (v.HeadteacherOf.All || v.HeadteacherOf.Schools.Contains(d.SchoolId))) &&
        (v.Dsl.All || v.Dsl.Schools.Contains(d.SchoolId) ||
         (!d.Restricted && !d.AboutHeadteacher && (v.TrustAdmin.All || v.TrustAdmin.Schools.Contains(d.SchoolId))));
}
