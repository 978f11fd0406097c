using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Incidents.Domain;

/// <summary>The social-media case types the seeds ask staff to report.</summary>
public enum CaseType
{
    /// <summary>000 l.32/134-142, 003 l.121-129, 002 l.251-253: victim, perpetrator kind, evidence with time and date.</summary>
    Cyberbullying,

    /// <summary>002 Appendix B (l.283-289): reporter, person accessing if known, date, full URLs, nature of content, ICT action taken.</summary>
    InappropriateContent,

    /// <summary>001 l.108, 000 l.175: a pupil or parent "friending" or messaging staff, who must not respond.</summary>
    InappropriateContact,

    /// <summary>000 l.131, 004 l.90: an offensive comment on a school account; block, report or delete, audience told why.</summary>
    OffensiveComment,

    /// <summary>002 l.225: concern about a staff member's online conduct (to the headteacher; about the headteacher: the chair).</summary>
    StaffConductConcern,

    /// <summary>002 l.227: concern about a pupil's online behaviour (to the DSL).</summary>
    PupilConductConcern,

    /// <summary>000 l.102, 003 l.91, 004 l.66: a comment, query or complaint on a school account; the response SLA runs.</summary>
    AccountMessage,

    /// <summary>000 l.110 (headteacher and chair), 003 l.98 / 004 l.70 (media policy).</summary>
    JournalistContact,

    /// <summary>
    /// Retired for new reports: a blocked-content access request (002 Appendix A) is made to Policy, whose approval allows the
    /// site in the school's filtering feed. Kept so that a case recorded as one before still reads.
    /// </summary>
    BlockedContentRequest,

    /// <summary>000 l.86/121: the filtering provider alerts the headteacher and a DSL.</summary>
    FilteringAlert,

    /// <summary>001 l.100: an allegation of organisational malpractice or corruption, under the whistle-blowing procedure.</summary>
    Whistleblowing,

    /// <summary>001 l.102: a member of staff is aggrieved by a decision at the school that affects them personally.</summary>
    Grievance,
}

public enum SubjectKind
{
    Pupil,
    Staff,
    Adult,
    Unknown,
}

/// <summary>Where a case goes and who may see it, from the case type, the subject and the school's effective policy.</summary>
public sealed record Routing(string AssignedRole, bool Restricted, bool AboutHeadteacher, bool ChairInformed, bool SlaApplies);

public static class CaseRouting
{
    /// <summary>
    /// The assigned "role" of a case routed to the school's named escalation contacts (setting <c>escalation.contacts</c>)
    /// rather than to a role of the school: only those people, by their staff id, may see it.
    /// </summary>
    public const string EscalationContact = "escalation_contact";

    /// <summary>
    /// 001 l.98-102: the routes for the aggrieved or concerned go outside the school's line of management, so a concern
    /// about malpractice cannot land with the person it may be about.
    /// </summary>
    public static bool GoesToEscalationContacts(CaseType type) => type is CaseType.Whistleblowing or CaseType.Grievance;

    public static Routing Route(CaseType type, SubjectKind subject, bool aboutHeadteacher, bool safeguarding, RoutingSettings policy)
    {
        if (GoesToEscalationContacts(type))
        {
            // Restricted, so trust-wide oversight lists leave it out; "about the headteacher" is kept so the headteacher,
            // even when named as a contact, is excluded as the subject, as for a case that goes to the chair (002 l.225).
            return new Routing(EscalationContact, Restricted: true, AboutHeadteacher: aboutHeadteacher, ChairInformed: false, SlaApplies: false);
        }

        if (aboutHeadteacher)
        {
            // 002 l.225: "If the concern is about the headteacher/principal, it will be reported to the Chair".
            return new Routing(Role.Chair, Restricted: true, AboutHeadteacher: true, ChairInformed: true, SlaApplies: type == CaseType.AccountMessage);
        }

        var (role, restricted) = type switch
        {
            // 002 l.251-253: pupils' cyberbullying under the anti-bullying policy, a safeguarding matter for the DSL (002 l.76).
            CaseType.Cyberbullying => subject == SubjectKind.Pupil ? (Role.Dsl, true) : (Role.Headteacher, false),
            CaseType.InappropriateContent => (Role.IctTechnician, false), // 002 l.245: "reported to an ICT technician"
            CaseType.InappropriateContact => (Role.Dsl, true), // 001 l.108: "notify the Designated Safeguarding Lead"
            CaseType.OffensiveComment => (Role.MarketingOfficer, false), // 002: the marketing officer keeps the moderation log
            CaseType.StaffConductConcern => (Role.Headteacher, false), // 002 l.225
            CaseType.PupilConductConcern => (Role.Dsl, true), // 002 l.227
            CaseType.AccountMessage => (Role.MarketingOfficer, false),
            CaseType.JournalistContact => (Role.Headteacher, false), // 000 l.110 / 003 l.98
            CaseType.BlockedContentRequest => (Role.IctTechnician, false), // 002 l.245-247, approved by the headteacher
            CaseType.FilteringAlert => (Role.Dsl, false), // 000 l.121: headteacher and a DSL
            _ => (Role.Headteacher, false),
        };
        var chairInformed = type == CaseType.JournalistContact && policy.JournalistRule == "headteacher_and_chair";
        return new Routing(role, restricted || safeguarding, AboutHeadteacher: false, chairInformed, SlaApplies: type == CaseType.AccountMessage);
    }

    /// <summary>
    /// Retention per case type (REVIEW: periods to be confirmed by the trust's records policy). Child protection
    /// (a restricted case about a pupil) is kept until the pupil's date of birth + 25 years; others a fixed time after closure.
    /// </summary>
    public static DateOnly? RetentionUntil(CaseType type, bool restricted, SubjectKind subject, DateOnly? dateOfBirth, DateOnly? closedOn)
    {
        if (restricted && subject == SubjectKind.Pupil)
        {
            return dateOfBirth?.AddYears(25);
        }

        if (closedOn is not { } closed)
        {
            return null;
        }

        var years = type switch
        {
            CaseType.AccountMessage or CaseType.OffensiveComment or CaseType.FilteringAlert or
                CaseType.InappropriateContent or CaseType.BlockedContentRequest or CaseType.JournalistContact => 1,
            _ => 6, // staff matters and other concerns: six years after closure
        };
        return closed.AddYears(years);
    }

    public static bool IsChildProtection(bool restricted, SubjectKind subject) => restricted && subject == SubjectKind.Pupil;

    /// <summary>The stored and published name of a case type (snake_case, e.g. "account_message").</summary>
    public static string Name(CaseType type) => Trust.Platform.Data.Tenancy.TenantDbContext.SnakeCase(type.ToString());
}
