using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Domain;

/// <summary>What a caller may see of a case. Anything else is a 404.</summary>
public enum CaseView
{
    None,
    Receipt,
    Full,
}

/// <summary>The schools a grant covers: every school of the trust, or these.</summary>
public sealed record SchoolScope(bool All, Guid[] Schools)
{
    public static readonly SchoolScope Nowhere = new(false, []);

    public static SchoolScope From(IReadOnlySet<Guid>? schools) => schools is null ? new(true, []) : new(false, [.. schools]);
}

/// <summary>
/// The caller as the case rules see them: role grants per school, the roster id their token carries, and the schools
/// where they are the headteacher (by role, or recognised by the roster or the published policy from their staff id).
/// </summary>
public sealed record CaseViewer(
    string Subject,
    Guid? ApiKeyId,
    SchoolScope KeySchools,
    string? StaffRef,
    SchoolScope Dsl,
    SchoolScope Chair,
    SchoolScope Headteacher,
    SchoolScope TrustAdmin,
    SchoolScope MarketingOfficer,
    SchoolScope IctTechnician,
    SchoolScope AnyRole,
    SchoolScope HeadteacherOf)
{
    /// <param name="recognisedHeadteacherOf">Schools whose roster or published policy names the caller's staff id as headteacher.</param>
    public static CaseViewer Of(PlatformPrincipal p, IEnumerable<Guid> recognisedHeadteacherOf)
    {
        if (p.IsApiKey)
        {
            // An integration files reports and reads its own receipts; no role of a person applies to it.
            var keySchools = p.KeySchools.Count == 0 ? new SchoolScope(true, []) : new SchoolScope(false, [.. p.KeySchools]);
            return new CaseViewer("", p.ApiKeyId, keySchools, null, SchoolScope.Nowhere, SchoolScope.Nowhere, SchoolScope.Nowhere,
                SchoolScope.Nowhere, SchoolScope.Nowhere, SchoolScope.Nowhere, SchoolScope.Nowhere, SchoolScope.Nowhere);
        }

        var head = SchoolScope.From(p.SchoolsFor(Role.Headteacher));
        var headOf = head.All ? head : new SchoolScope(false, [.. head.Schools.Union(recognisedHeadteacherOf)]);
        return new CaseViewer(p.Subject, null, SchoolScope.Nowhere, p.StaffId?.ToString(),
            SchoolScope.From(p.SchoolsFor(Role.Dsl)), SchoolScope.From(p.SchoolsFor(Role.Chair)), head,
            SchoolScope.From(p.SchoolsFor(Role.TrustAdmin)), SchoolScope.From(p.SchoolsFor(Role.MarketingOfficer)),
            SchoolScope.From(p.SchoolsFor(Role.IctTechnician)), SchoolScope.From(p.SchoolsFor([.. RoleSets.AnyoneInSchool])), headOf);
    }
}

/// <summary>
/// Who may see a case, written once as expressions over (viewer, case). A loaded case is judged by the compiled
/// expressions (<see cref="ViewOf"/>); list queries filter by the same expressions with the viewer bound
/// (<see cref="Readable"/>, <see cref="FullyReadable"/>, <see cref="AuditReadable"/>), which EF Core translates to SQL.
/// <para>
/// The rules: the case's subject never sees it (a staff subject by the roster id in their token; for a case about the
/// headteacher, whoever is the school's headteacher, even when they are the DSL too). A case about the headteacher
/// (002 l.225) is for the DSL and the chair; another restricted (safeguarding) case for the DSL only; any other case
/// for the DSL, the headteacher, the trust admin, the role it is assigned to and, when the chair is informed (000's
/// journalist rule), the chair. Its reporter, user or API key, sees a receipt.
/// </para>
/// </summary>
public static class CaseVisibility
{
    private const string StaffSubject = "staff";

    /// <summary>The caller is the person the case is about.</summary>
    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> IsSubject = (v, c) =>
        (v.StaffRef != null && c.SubjectKind == StaffSubject && c.SubjectRef == v.StaffRef) ||
        (c.AboutHeadteacher && (v.HeadteacherOf.All || v.HeadteacherOf.Schools.Contains(c.SchoolId)));

    /// <summary>The caller's roles let them read the whole case (before the subject is excluded).</summary>
    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> RolesReadAll = (v, c) =>
        (c.AssignedRole == CaseRouting.EscalationContact && v.StaffRef != null && c.EscalationRefs.Contains(v.StaffRef)) ||
        (c.AssignedRole != CaseRouting.EscalationContact && (
            (c.AboutHeadteacher &&
                (v.Dsl.All || v.Dsl.Schools.Contains(c.SchoolId) || v.Chair.All || v.Chair.Schools.Contains(c.SchoolId))) ||
            (!c.AboutHeadteacher && c.Restricted &&
                (v.Dsl.All || v.Dsl.Schools.Contains(c.SchoolId))) ||
            (!c.AboutHeadteacher && !c.Restricted &&
                (v.Dsl.All || v.Dsl.Schools.Contains(c.SchoolId) ||
                 v.Headteacher.All || v.Headteacher.Schools.Contains(c.SchoolId) ||
                 v.TrustAdmin.All || v.TrustAdmin.Schools.Contains(c.SchoolId) ||
                 (c.AssignedRole == Role.MarketingOfficer && (v.MarketingOfficer.All || v.MarketingOfficer.Schools.Contains(c.SchoolId))) ||
                 (c.AssignedRole == Role.IctTechnician && (v.IctTechnician.All || v.IctTechnician.Schools.Contains(c.SchoolId))) ||
                 ((c.AssignedRole == Role.Chair || c.ChairInformed) && (v.Chair.All || v.Chair.Schools.Contains(c.SchoolId)))))));

    /// <summary>The caller filed the report (as a person, or as this API key within its schools).</summary>
    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> IsReporter = (v, c) =>
        (v.ApiKeyId != null && c.ReporterKeyId == v.ApiKeyId && (v.KeySchools.All || v.KeySchools.Schools.Contains(c.SchoolId))) ||
        (v.ApiKeyId == null && c.ReporterKeyId == null && c.ReporterSubject == v.Subject &&
            (v.AnyRole.All || v.AnyRole.Schools.Contains(c.SchoolId)));

    /// <summary>The caller oversees the school's reading of cases (the audit of who read what); an escalation contact's case only they oversee.</summary>
    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> OverseesReads = (v, c) =>
        (c.AssignedRole == CaseRouting.EscalationContact && v.StaffRef != null && c.EscalationRefs.Contains(v.StaffRef)) ||
        (c.AssignedRole != CaseRouting.EscalationContact &&
            (v.Dsl.All || v.Dsl.Schools.Contains(c.SchoolId) || v.TrustAdmin.All || v.TrustAdmin.Schools.Contains(c.SchoolId)));

    /// <summary>Restricted (safeguarding) cases stay with the DSL: trust-wide oversight lists leave them out (ADR 0120).</summary>
    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> IsRestricted = (v, c) => c.Restricted;

    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> Full = AndNot(RolesReadAll, IsSubject);

    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> Receipt = AndNot(IsReporter, IsSubject);

    private static readonly Expression<Func<CaseViewer, IncidentCase, bool>> Audit = AndNot(OverseesReads, IsSubject);

    private static readonly Func<CaseViewer, IncidentCase, bool> FullCompiled = Full.Compile();

    private static readonly Func<CaseViewer, IncidentCase, bool> ReceiptCompiled = Receipt.Compile();

    private static readonly Func<CaseViewer, IncidentCase, bool> AuditCompiled = Audit.Compile();

    /// <summary>What <paramref name="viewer"/> may see of a loaded case.</summary>
    public static CaseView ViewOf(CaseViewer viewer, IncidentCase c) =>
        FullCompiled(viewer, c) ? CaseView.Full : ReceiptCompiled(viewer, c) ? CaseView.Receipt : CaseView.None;

    /// <summary>Whether <paramref name="viewer"/> may list who read a loaded case.</summary>
    public static bool MayReadAuditOf(CaseViewer viewer, IncidentCase c) => AuditCompiled(viewer, c);

    /// <summary>Cases the viewer may read whole.</summary>
    public static Expression<Func<IncidentCase, bool>> FullyReadable(CaseViewer viewer) => Bind(Full, viewer);

    /// <summary>Cases the viewer may read whole and oversees across the trust: not restricted, even for an admin who is a DSL somewhere.</summary>
    public static Expression<Func<IncidentCase, bool>> OverseenTrustWide(CaseViewer viewer) => Bind(AndNot(Full, IsRestricted), viewer);

    /// <summary>Cases the viewer may see at all: whole, or as the receipt of their own report.</summary>
    public static Expression<Func<IncidentCase, bool>> Readable(CaseViewer viewer) => Bind(Or(Full, Receipt), viewer);

    /// <summary>Cases whose audit entries the viewer may list.</summary>
    public static Expression<Func<IncidentCase, bool>> AuditReadable(CaseViewer viewer) => Bind(Audit, viewer);

    private static Expression<Func<CaseViewer, IncidentCase, bool>> AndNot(
        Expression<Func<CaseViewer, IncidentCase, bool>> rule, Expression<Func<CaseViewer, IncidentCase, bool>> unless) =>
        Combine(rule, unless, (a, b) => Expression.AndAlso(a, Expression.Not(b)));

    private static Expression<Func<CaseViewer, IncidentCase, bool>> Or(
        Expression<Func<CaseViewer, IncidentCase, bool>> left, Expression<Func<CaseViewer, IncidentCase, bool>> right) =>
        Combine(left, right, Expression.OrElse);

    private static Expression<Func<CaseViewer, IncidentCase, bool>> Combine(
        Expression<Func<CaseViewer, IncidentCase, bool>> left, Expression<Func<CaseViewer, IncidentCase, bool>> right,
        Func<Expression, Expression, Expression> join)
    {
        var v = left.Parameters[0];
        var c = left.Parameters[1];
        var rightBody = new Rebind(new Dictionary<ParameterExpression, Expression> { [right.Parameters[0]] = v, [right.Parameters[1]] = c }).Visit(right.Body);
        return Expression.Lambda<Func<CaseViewer, IncidentCase, bool>>(join(left.Body, rightBody), v, c);
    }

    /// <summary>
    /// The rule with the viewer fixed, as the C# compiler would capture it in a closure (a field of a constant), so
    /// EF Core sends the viewer's values as query parameters and caches one plan for every viewer.
    /// </summary>
    private static Expression<Func<IncidentCase, bool>> Bind(Expression<Func<CaseViewer, IncidentCase, bool>> rule, CaseViewer viewer)
    {
        var captured = Expression.Field(Expression.Constant(new StrongBox<CaseViewer>(viewer)), nameof(StrongBox<CaseViewer>.Value));
        var body = new Rebind(new Dictionary<ParameterExpression, Expression> { [rule.Parameters[0]] = captured }).Visit(rule.Body);
        return Expression.Lambda<Func<IncidentCase, bool>>(body, rule.Parameters[1]);
    }

    private sealed class Rebind(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var to) ? to : node;
    }
}
