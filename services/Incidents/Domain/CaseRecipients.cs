using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.People;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Domain;

/// <summary>
/// Whom to tell about a case, from the posts held at its school on the day (the replica of Policy's appointments). Every
/// person named is first judged by <see cref="CaseVisibility"/> as if they signed in with those posts: someone who may
/// not read the whole case is never told of it, so the person a case is about (by roster id, or as the school's
/// headteacher for a case about the headteacher) gets nothing, and a restricted case reaches only who may read it.
/// </summary>
public static class CaseRecipients
{
    /// <summary>
    /// A new case: the people of the role it is assigned to (a whistle-blowing or grievance case: the escalation contacts
    /// it went to, by roster id) and, for a restricted case, the school's DSLs and deputies (KCSIE: the DSL is told of
    /// every safeguarding concern).
    /// </summary>
    public static IReadOnlyList<Guid> Assigned(IncidentCase c, IReadOnlyList<PostHolder> posts, IReadOnlyCollection<Guid> headteacherStaffIds)
    {
        var named = posts.Where(p => p.SchoolId == c.SchoolId && (
            c.AssignedRole == CaseRouting.EscalationContact
                ? p.StaffId is { } staff && c.EscalationRefs.Contains(staff.ToString())
                : AppointmentRoles.Grants(p.Post) == c.AssignedRole || (c.Restricted && AppointmentRoles.Grants(p.Post) == Roles.Dsl)));
        return MaySee(c, named.Select(p => p.MemberId), posts, headteacherStaffIds);
    }

    /// <summary>
    /// The senior person an escalation or a response deadline (about to pass, or passed) goes to: the headteacher (000
    /// l.102, 000 l.139-142: "reported as soon as possible to a relevant senior member of staff"); for a case the
    /// headteacher may not read, the chair (a case about the headteacher, 002 l.225), else the DSLs (a restricted case),
    /// else the escalation contacts the case went to. The person who escalated is not told of their own step.
    /// </summary>
    public static IReadOnlyList<Guid> Senior(IncidentCase c, IReadOnlyList<PostHolder> posts, IReadOnlyCollection<Guid> headteacherStaffIds, Guid? exceptStaffId)
    {
        // The first of these who may read the case is the senior line; the one who escalated is left out of it, and the
        // step does not pass on to the next line because they were the senior person themselves.
        List<Guid> ButActor(IEnumerable<Guid> line) => [.. line.Where(m => exceptStaffId is null || !posts.Any(p => p.MemberId == m && p.StaffId == exceptStaffId))];
        foreach (var role in new[] { Roles.Headteacher, Roles.Chair, Roles.Dsl })
        {
            var line = MaySee(c, Notices.Holding(posts, c.SchoolId, role), posts, headteacherStaffIds);
            if (line.Count > 0)
            {
                return ButActor(line);
            }
        }

        return c.AssignedRole == CaseRouting.EscalationContact ? ButActor(Assigned(c, posts, headteacherStaffIds)) : [];
    }

    /// <summary>The candidates who may read the whole case with the posts they hold, each once, in a stable order.</summary>
    private static List<Guid> MaySee(IncidentCase c, IEnumerable<Guid> candidates, IReadOnlyList<PostHolder> posts, IReadOnlyCollection<Guid> headteacherStaffIds) =>
        candidates.Distinct().Order()
            .Select(member => (member, held: posts.Where(p => p.MemberId == member).ToList()))
            .Where(x => CaseVisibility.ViewOf(ViewerOf(x.held, headteacherStaffIds), c) == CaseView.Full)
            .Select(x => x.member).ToList();

    /// <summary>How the case rules would see a member signed in with these posts (the token's roles come from the same posts).</summary>
    public static CaseViewer ViewerOf(IReadOnlyList<PostHolder> held, IReadOnlyCollection<Guid> headteacherStaffIds)
    {
        SchoolScope Of(string role)
        {
            var grants = held.Where(p => AppointmentRoles.Grants(p.Post) == role).ToList();
            return grants.Any(p => p.SchoolId is null) ? new SchoolScope(true, []) : new SchoolScope(false, [.. grants.Select(p => p.SchoolId!.Value).Distinct()]);
        }

        var staff = held.Select(p => p.StaffId).FirstOrDefault(s => s is not null);
        var head = Of(Roles.Headteacher);
        // Recognised as headteacher of the school by the roster or the published policy, whatever the posts say.
        var recognised = staff is { } id && headteacherStaffIds.Contains(id) ? held.Where(p => p.SchoolId is not null).Select(p => p.SchoolId!.Value) : [];
        var headOf = head.All ? head : new SchoolScope(false, [.. head.Schools.Union(recognised)]);
        var any = new SchoolScope(held.Any(p => p.SchoolId is null), [.. held.Where(p => p.SchoolId is not null).Select(p => p.SchoolId!.Value).Distinct()]);
        return new CaseViewer("", null, SchoolScope.Nowhere, staff?.ToString(), Of(Roles.Dsl), Of(Roles.Chair), head, Of(Roles.TrustAdmin),
            Of(Roles.MarketingOfficer), Of(Roles.IctTechnician), any, headOf);
    }
}
