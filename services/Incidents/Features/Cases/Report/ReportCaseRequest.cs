using System.Text.Json;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;

namespace Trust.Platform.Incidents.Features.Cases.Report;

public enum PerpetratorKind
{
    Pupil,
    Colleague,
    ParentOrOtherAdult,
    Unknown,
}

public enum VictimKind
{
    Pupil,
    Staff,
    Other,
}

public enum ModerationAction
{
    Block,
    Report,
    Delete,
    None,
}

public enum AccountMessageKind
{
    Comment,
    Query,
    Complaint,
}

/// <summary>000 l.134-142: who was bullied, by whom (pupil, colleague, adult: the route differs), and when (evidence with time and date).</summary>
public sealed record CyberbullyingDetails(VictimKind Victim, PerpetratorKind Perpetrator, DateTimeOffset IncidentAt, string? Platform = null);

/// <summary>002 Appendix B, the inappropriate content report form (l.283-289).</summary>
public sealed record InappropriateContentDetails(
    DateOnly Date, IReadOnlyList<string> FullUrls, string NatureOfContent, string? PersonAccessing = null, string? ActionTaken = null);

/// <summary>001 l.108 and 000 l.175: contact from a pupil or parent; staff must not respond.</summary>
public sealed record InappropriateContactDetails(string From, string Platform, string ContactKind, bool StaffResponded);

/// <summary>000 l.131, 004 l.90: block, report or delete; inform the audience exactly why.</summary>
public sealed record OffensiveCommentDetails(string Platform, ModerationAction Action, bool AudienceInformed, Guid? AccountId = null);

/// <summary>000 l.102, 003 l.91, 004 l.66: when the message reached the account starts the response SLA.</summary>
public sealed record AccountMessageDetails(string Platform, AccountMessageKind Kind, DateTimeOffset ReceivedAt, Guid? AccountId = null);

/// <summary>000 l.110 / 003 l.98.</summary>
public sealed record JournalistContactDetails(string Outlet, DateTimeOffset ContactedAt, string? About = null);


/// <summary>000 l.86/121: an alert from the school's filtering provider.</summary>
public sealed record FilteringAlertDetails(string Provider, DateTimeOffset AlertedAt, string? AlertReference = null, string? Category = null);

/// <summary>002 l.225/227, 001 l.100-102: the platform the concern is about, if any.</summary>
public sealed record ConcernDetails(string? Platform = null);

/// <summary>
/// Who the case is about, with no more personal data than the case needs: a pupil by MIS id, a staff member by
/// roster id, a parent or other adult by relationship only, or unknown. A date of birth only for child protection.
/// </summary>
public sealed record SubjectRequest(SubjectKind Kind, string? MisId = null, Guid? RosterId = null, bool? IsHeadteacher = null, string? Relationship = null, DateOnly? DateOfBirth = null);

/// <summary>A report. Exactly the detail object named by <c>type</c> is given.</summary>
[NJsonSchema.Annotations.JsonSchemaProcessor(typeof(Trust.Platform.Hosting.Endpoints.TypedNullableReferences))]
public sealed record ReportCaseRequest(
    CaseType Type,
    string Summary,
    SubjectRequest? Subject = null,
    bool? Safeguarding = null,
    CyberbullyingDetails? Cyberbullying = null,
    InappropriateContentDetails? InappropriateContent = null,
    InappropriateContactDetails? InappropriateContact = null,
    OffensiveCommentDetails? OffensiveComment = null,
    ConcernDetails? StaffConductConcern = null,
    ConcernDetails? PupilConductConcern = null,
    AccountMessageDetails? AccountMessage = null,
    JournalistContactDetails? JournalistContact = null,
    FilteringAlertDetails? FilteringAlert = null,
    ConcernDetails? Whistleblowing = null,
    ConcernDetails? Grievance = null)
{
    /// <summary>The detail objects by type; the one named by <see cref="Type"/> (serialised) is stored.</summary>
    public IReadOnlyDictionary<CaseType, object?> DetailsByType() => new Dictionary<CaseType, object?>
    {
        [CaseType.Cyberbullying] = Cyberbullying,
        [CaseType.InappropriateContent] = InappropriateContent,
        [CaseType.InappropriateContact] = InappropriateContact,
        [CaseType.OffensiveComment] = OffensiveComment,
        [CaseType.StaffConductConcern] = StaffConductConcern,
        [CaseType.PupilConductConcern] = PupilConductConcern,
        [CaseType.AccountMessage] = AccountMessage,
        [CaseType.JournalistContact] = JournalistContact,
        [CaseType.BlockedContentRequest] = null,
        [CaseType.FilteringAlert] = FilteringAlert,
        [CaseType.Whistleblowing] = Whistleblowing,
        [CaseType.Grievance] = Grievance,
    };

    /// <summary>How far ahead of this server's clock a reported instant may be (the reporter's clock may run fast).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The report as the case rules take it: the subject referenced by one id only, the type's details as stored JSON.</summary>
    public CaseReport ToReport()
    {
        var subject = Subject ?? new SubjectRequest(SubjectKind.Unknown);
        var reference = subject.Kind switch
        {
            SubjectKind.Pupil => subject.MisId!.Trim(),
            SubjectKind.Staff => subject.RosterId!.Value.ToString(),
            _ => null,
        };
        var details = JsonSerializer.Serialize(DetailsByType()[Type] ?? new ConcernDetails(), CaseMapping.Json);
        return new CaseReport(Type, Summary, subject.Kind, reference, subject.Kind == SubjectKind.Adult ? subject.Relationship?.Trim() : null,
            subject.DateOfBirth, Safeguarding == true, details, Type == CaseType.AccountMessage ? AccountMessage!.ReceivedAt : null);
    }
}

