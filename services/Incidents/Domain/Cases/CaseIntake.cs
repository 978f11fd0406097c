using Trust.Platform.Contracts;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Domain.Cases;

/// <summary>What a reporter told us, already validated: who it is about (no more personal data than the case needs) and the type's details as stored JSON.</summary>
public sealed record CaseReport(
    CaseType Type, string Summary, SubjectKind SubjectKind, string? SubjectRef, string? Relationship, DateOnly? DateOfBirth,
    bool Safeguarding, string DetailsJson, DateTimeOffset? MessageReceivedAt);

/// <summary>Who filed the report: a person (their subject) or an integration (its API key).</summary>
public sealed record Reporter(string Subject, Guid? ApiKeyId);

/// <summary>The school's published policy as intake needs it.</summary>
public sealed record IntakePolicy(RoutingSettings Routing, SlaSettings Sla, CalendarSettings Calendar);

public abstract record IntakeOutcome
{
    public sealed record Opened(IncidentCase Case) : IntakeOutcome;

    /// <summary>Data minimisation: a date of birth is kept only where retention needs it (child protection: DOB + 25 years).</summary>
    public sealed record DateOfBirthNotKept : IntakeOutcome;

    /// <summary>
    /// A whistle-blowing or grievance report, and the school's policy names no escalation contact (with a staff id, so
    /// they can sign in and read it) who is not the person it is about: refused rather than sent to a default role.
    /// </summary>
    public sealed record NoEscalationContact : IntakeOutcome;
}

/// <summary>A report becomes a case: routed (who handles it, who may see it), its SLA clock started, its retention set.</summary>
public static class CaseIntake
{
    /// <param name="aboutHeadteacher">
    /// 002 l.225: the reporter's box, the published policy's named headteacher or the school's roster recognised the
    /// staff subject as the headteacher (decided by the caller, which can ask the roster).
    /// </param>
    public static IntakeOutcome Open(
        Guid trustId, Guid schoolId, CaseReport report, bool aboutHeadteacher, IntakePolicy policy, Reporter reporter, DateTimeOffset now)
    {
        var route = CaseRouting.Route(report.Type, report.SubjectKind, aboutHeadteacher, report.Safeguarding, policy.Routing);
        string[] escalationRefs = [];
        if (CaseRouting.GoesToEscalationContacts(report.Type))
        {
            escalationRefs = EscalationRefs(policy.Routing, report.SubjectKind == SubjectKind.Staff ? report.SubjectRef : null, aboutHeadteacher);
            if (escalationRefs.Length == 0)
            {
                return new IntakeOutcome.NoEscalationContact();
            }
        }

        var childProtection = CaseRouting.IsChildProtection(route.Restricted, report.SubjectKind);
        if (report.DateOfBirth is not null && !childProtection)
        {
            return new IntakeOutcome.DateOfBirthNotKept();
        }

        // The SLA clock starts when the message reached the school's account, not when it was reported here (000 l.102).
        var receivedAt = report.MessageReceivedAt ?? now;
        var c = new IncidentCase
        {
            TrustId = trustId, Id = Guid.CreateVersion7(now), SchoolId = schoolId,
            CaseType = CaseRouting.Name(report.Type), Status = CaseStatus.Open,
            Restricted = route.Restricted, Safeguarding = report.Safeguarding, AboutHeadteacher = route.AboutHeadteacher, ChairInformed = route.ChairInformed,
            Summary = report.Summary.Trim(),
            SubjectKind = report.SubjectKind.ToString().ToLowerInvariant(), SubjectRef = report.SubjectRef, SubjectRelationship = report.Relationship,
            DateOfBirth = childProtection ? report.DateOfBirth : null,
            Details = report.DetailsJson, AssignedRole = route.AssignedRole, EscalationRefs = escalationRefs,
            ReporterSubject = reporter.Subject, ReporterKeyId = reporter.ApiKeyId,
            ReceivedAt = receivedAt,
            DueAt = route.SlaApplies ? SlaClock.DueAt(receivedAt, policy.Sla.ResponseHours, SchoolCalendar.From(policy.Calendar)) : null,
            CreatedAt = now, Version = 0,
        };
        c.RetentionUntil = CaseRouting.RetentionUntil(report.Type, c.Restricted, report.SubjectKind, c.DateOfBirth, null);
        return new IntakeOutcome.Opened(c);
    }

    /// <summary>
    /// The staff ids of the school's escalation contacts (001 l.98-102) who may handle the case: never its staff subject,
    /// nor the published headteacher when the case is about the headteacher.
    /// </summary>
    public static string[] EscalationRefs(RoutingSettings routing, string? staffSubjectRef, bool aboutHeadteacher) =>
    [
        .. routing.EscalationContacts
            .Where(p => p.StaffId is { } id && id.ToString() != staffSubjectRef && !(aboutHeadteacher && routing.Headteacher?.StaffId == id))
            .Select(p => p.StaffId!.Value.ToString())
            .Distinct(),
    ];

    /// <summary>
    /// Routes an existing case again from what was reported (type, subject, the reporter's safeguarding flag) and the
    /// school's policy, after its "about the headteacher" mark changed. <paramref name="closedOn"/> is the school's day it closed.
    /// </summary>
    public static void Reroute(IncidentCase c, bool aboutHeadteacher, RoutingSettings policy, DateOnly? closedOn)
    {
        var route = CaseRouting.Route(c.Type(), c.Subject(), aboutHeadteacher, c.Safeguarding, policy);
        c.AboutHeadteacher = route.AboutHeadteacher;
        c.Restricted = route.Restricted;
        c.ChairInformed = route.ChairInformed;
        c.AssignedRole = route.AssignedRole;
        c.RetentionUntil = CaseRouting.RetentionUntil(c.Type(), c.Restricted, c.Subject(), c.DateOfBirth, closedOn);
    }
}
