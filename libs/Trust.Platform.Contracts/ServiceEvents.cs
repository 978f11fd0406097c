namespace Trust.Platform.Contracts;

// Training (roster and records) -----------------------------------------------------------------

/// <summary>A person joined a school's roster (from an MIS sync or by hand). Emitted only on a real change.</summary>
public sealed record StaffJoined(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid StaffId, string? MisId, string DisplayName, IReadOnlyList<string> Roles, DateOnly StartDate) : ISchoolEvent;

/// <summary>A person left (leave date reached, or deleted by the MIS). Accounts starts a handover when they administered an account.</summary>
public sealed record StaffLeft(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid StaffId, DateOnly LeaveDate) : ISchoolEvent;

public sealed record StaffRoleChanged(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid StaffId, IReadOnlyList<string> Roles, IReadOnlyList<string> PreviousRoles) : ISchoolEvent;

/// <summary>A course was completed. CourseCode is stable across trusts, e.g. <c>social_media_policy</c>, <c>at_risk_pupils</c>, <c>platform:{platform}</c>.</summary>
public sealed record TrainingCompleted(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid StaffId, Guid CourseId, string CourseCode, DateOnly CompletedOn, DateOnly? ExpiresOn) : ISchoolEvent;

public sealed record TrainingExpired(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid StaffId, Guid CourseId, string CourseCode, DateOnly ExpiredOn) : ISchoolEvent;

/// <summary>A person acknowledged a specific published policy version.</summary>
public sealed record PolicyAcknowledged(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid StaffId, Guid PolicyVersionId, string Version) : ISchoolEvent;

// Accounts (register) ---------------------------------------------------------------------------

public sealed record AccountApproved(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid AccountId, string Platform, string Handle, IReadOnlyList<Guid> AdministratorStaffIds) : ISchoolEvent;

public sealed record AccountHandoverRequired(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid AccountId, Guid LeavingStaffId, DateOnly DueOn) : ISchoolEvent;

public sealed record AccountClosed(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid AccountId, string Reason) : ISchoolEvent;

// Incidents (cases) -----------------------------------------------------------------------------

/// <summary>A case was reported. Restricted (safeguarding) cases carry no detail beyond their type.</summary>
public sealed record IncidentReported(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid CaseId, string CaseType, bool Restricted) : ISchoolEvent;

/// <summary>
/// A case moved up the ladder (<c>internal</c>, <c>disciplinary</c>, <c>provider_report</c>, <c>police</c>) or went overdue (<c>overdue</c>).
/// <see cref="Restricted"/> is null from a publisher that does not say; a consumer must then treat the case as restricted.
/// </summary>
public sealed record IncidentEscalated(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid CaseId, string Step, string Reason, bool? Restricted = null) : ISchoolEvent;

/// <summary>
/// A case closed; Significant triggers a refresher for the school's staff (002). <see cref="Restricted"/> as on
/// <see cref="IncidentEscalated"/>: null means "treat as restricted".
/// </summary>
public sealed record IncidentClosed(
    Guid EventId, Guid TrustId, Guid SchoolId, DateTimeOffset OccurredAt,
    Guid CaseId, string CaseType, string Outcome, bool Significant, bool? Restricted = null) : ISchoolEvent;
