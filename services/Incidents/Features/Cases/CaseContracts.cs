using System.Text.Json;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases;

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

/// <summary>002 Appendix A, the blocked content access request form (l.265-279).</summary>
public sealed record BlockedContentRequestDetails(string FullUrl, string SiteContent, string ReasonsForAccess, string? RisksAndControls = null);

/// <summary>000 l.86/121: an alert from the school's filtering provider.</summary>
public sealed record FilteringAlertDetails(string Provider, DateTimeOffset AlertedAt, string? AlertReference = null, string? Category = null);

/// <summary>002 l.225/227: the platform the concern is about, if any.</summary>
public sealed record ConcernDetails(string? Platform = null);

/// <summary>
/// Who the case is about, with no more personal data than the case needs: a pupil by MIS id, a staff member by
/// roster id, a parent or other adult by relationship only, or unknown. A date of birth only for child protection.
/// </summary>
public sealed record SubjectRequest(SubjectKind Kind, string? MisId = null, Guid? RosterId = null, bool? IsHeadteacher = null, string? Relationship = null, DateOnly? DateOfBirth = null);

/// <summary>A report. Exactly the detail object named by <c>type</c> is given.</summary>
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
    BlockedContentRequestDetails? BlockedContentRequest = null,
    FilteringAlertDetails? FilteringAlert = null)
{
    private static string FieldOf(CaseType type) => JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

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
        [CaseType.BlockedContentRequest] = BlockedContentRequest,
        [CaseType.FilteringAlert] = FilteringAlert,
    };

    /// <summary>How far ahead of this server's clock a reported instant may be (the reporter's clock may run fast).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static void NotInFuture(FieldErrors errors, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        if (value > now + ClockSkew)
        {
            errors.Add(field, "Cannot be in the future.");
        }
    }

    /// <param name="now">The server's time: when things happened cannot be later than that (beyond <see cref="ClockSkew"/>).</param>
    public FieldErrors Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors().Required("summary", Summary, 2000);
        // The SLA clock starts at receivedAt (000 l.102): a future instant would push the deadline out at will.
        NotInFuture(errors, "accountMessage.receivedAt", AccountMessage?.ReceivedAt, now);
        NotInFuture(errors, "cyberbullying.incidentAt", Cyberbullying?.IncidentAt, now);
        NotInFuture(errors, "journalistContact.contactedAt", JournalistContact?.ContactedAt, now);
        NotInFuture(errors, "filteringAlert.alertedAt", FilteringAlert?.AlertedAt, now);
        foreach (var (type, details) in DetailsByType())
        {
            if (type != Type && details is not null)
            {
                errors.Add(FieldOf(type), $"Only the details of the case type ('{FieldOf(Type)}') may be given.");
            }
        }

        var needsDetails = Type is not (CaseType.StaffConductConcern or CaseType.PupilConductConcern);
        if (needsDetails && DetailsByType()[Type] is null)
        {
            errors.Add(FieldOf(Type), "Required for this case type.");
        }

        switch (Type)
        {
            case CaseType.InappropriateContent when InappropriateContent is { } d:
                if (d.FullUrls.Count == 0 || d.FullUrls.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out _)))
                {
                    errors.Add("inappropriateContent.fullUrls", "At least one full URL, each absolute (002 Appendix B).");
                }

                errors.Required("inappropriateContent.natureOfContent", d.NatureOfContent, 2000);
                break;
            case CaseType.BlockedContentRequest when BlockedContentRequest is { } d:
                if (!Uri.TryCreate(d.FullUrl, UriKind.Absolute, out _))
                {
                    errors.Add("blockedContentRequest.fullUrl", "A full, absolute URL (002 Appendix A).");
                }

                errors.Required("blockedContentRequest.reasonsForAccess", d.ReasonsForAccess, 2000);
                break;
            case CaseType.InappropriateContact when InappropriateContact is { } d:
                if (d.From is not ("pupil" or "parent"))
                {
                    errors.Add("inappropriateContact.from", "Either 'pupil' or 'parent'.");
                }

                if (d.ContactKind is not ("friend_request" or "message"))
                {
                    errors.Add("inappropriateContact.contactKind", "Either 'friend_request' or 'message'.");
                }

                break;
            case CaseType.JournalistContact when JournalistContact is { } d:
                errors.Required("journalistContact.outlet", d.Outlet);
                break;
            case CaseType.FilteringAlert when FilteringAlert is { } d:
                errors.Required("filteringAlert.provider", d.Provider);
                break;
        }

        if (Subject is { } s)
        {
            switch (s.Kind)
            {
                case SubjectKind.Pupil when string.IsNullOrWhiteSpace(s.MisId):
                    errors.Add("subject.misId", "A pupil is referenced by MIS id.");
                    break;
                case SubjectKind.Staff when s.RosterId is null:
                    errors.Add("subject.rosterId", "A staff member is referenced by roster id.");
                    break;
            }

            errors.Optional("subject.misId", s.MisId, 50).Optional("subject.relationship", s.Relationship, 100);
            if (s.Kind != SubjectKind.Pupil && s.MisId is not null)
            {
                errors.Add("subject.misId", "Only for a pupil.");
            }

            if (s.Kind != SubjectKind.Staff && (s.RosterId is not null || s.IsHeadteacher is not null))
            {
                errors.Add(s.RosterId is not null ? "subject.rosterId" : "subject.isHeadteacher", "Only for a staff member.");
            }

            if (s.Kind != SubjectKind.Adult && s.Relationship is not null)
            {
                errors.Add("subject.relationship", "Only for a parent or other adult.");
            }

            if (s.DateOfBirth is not null && s.Kind != SubjectKind.Pupil)
            {
                errors.Add("subject.dateOfBirth", "Only for a pupil in a child-protection case.");
            }
        }

        return errors;
    }
}

public sealed record SubjectResponse(SubjectKind Kind, string? MisId, Guid? RosterId, string? Relationship, DateOnly? DateOfBirth);

/// <summary>What the reporter (and an integration that filed the report) sees: that it was received, and its status.</summary>
public sealed record CaseReceipt(Guid Id, CaseType Type, string Status, DateTimeOffset ReceivedAt);

public sealed record EscalationResponse(string Step, string Reason, string By, string Role, DateTimeOffset At);

public sealed record CaseResponse(
    Guid Id,
    Guid SchoolId,
    CaseType Type,
    string Status,
    bool Restricted,
    bool AboutHeadteacher,
    string Summary,
    SubjectResponse Subject,
    JsonElement Details,
    string AssignedRole,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    string? EscalationStep,
    IReadOnlyList<EscalationResponse> Escalations,
    string? Outcome,
    bool? Significant,
    DateTimeOffset? ClosedAt,
    DateOnly? RetentionUntil,
    bool LegalHold,
    string? LegalHoldReason,
    int Version);

/// <summary>A row of a case list: full for cases the caller may read, receipt fields only for the caller's own reports.</summary>
public sealed record CaseSummary(
    Guid Id, Guid SchoolId, CaseType Type, string Status, DateTimeOffset ReceivedAt, string View,
    bool? Restricted, string? AssignedRole, DateTimeOffset? DueAt, bool? Overdue, bool? LegalHold, DateOnly? RetentionUntil);

public static class CaseMapping
{
    public static CaseType TypeOf(IncidentCase c) => Enum.Parse<CaseType>(c.CaseType.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public static string Name(CaseType type) => Trust.Platform.Data.Tenancy.TenantDbContext.SnakeCase(type.ToString());

    public static string Name(SubjectKind kind) => kind.ToString().ToLowerInvariant();

    public static CaseReceipt Receipt(IncidentCase c) => new(c.Id, TypeOf(c), c.Status, c.ReceivedAt);

    public static CaseSummary Summary(IncidentCase c, bool full) => full
        ? new(c.Id, c.SchoolId, TypeOf(c), c.Status, c.ReceivedAt, "full", c.Restricted, c.AssignedRole, c.DueAt, c.OverdueAt is not null, c.LegalHold, c.RetentionUntil)
        : new(c.Id, c.SchoolId, TypeOf(c), c.Status, c.ReceivedAt, "receipt", null, null, null, null, null, null);

    public static CaseResponse Full(IncidentCase c, IReadOnlyList<EscalationResponse> escalations)
    {
        var kind = Enum.Parse<SubjectKind>(c.SubjectKind, ignoreCase: true);
        var subject = new SubjectResponse(kind,
            kind == SubjectKind.Pupil ? c.SubjectRef : null,
            kind == SubjectKind.Staff && Guid.TryParse(c.SubjectRef, out var roster) ? roster : null,
            c.SubjectRelationship, c.DateOfBirth);
        return new CaseResponse(c.Id, c.SchoolId, TypeOf(c), c.Status, c.Restricted, c.AboutHeadteacher, c.Summary, subject,
            JsonDocument.Parse(c.Details).RootElement.Clone(), c.AssignedRole, c.ReceivedAt, c.DueAt, c.OverdueAt is not null, c.EscalationStep,
            escalations, c.Outcome, c.Significant, c.ClosedAt, c.RetentionUntil, c.LegalHold, c.LegalHoldReason, c.Version);
    }

    /// <summary>Stored details use the API's own JSON shape (camelCase, snake_case enums).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
