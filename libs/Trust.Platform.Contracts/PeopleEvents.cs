namespace Trust.Platform.Contracts;

/// <summary>
/// A member of a trust as Policy holds it now (an upsert): who they are, the OIDC subject they sign in with and
/// the roster person they are. <see cref="Version"/> rises with every change, so a replica ignores a stale one.
/// <see cref="Email"/> is personal data: consumers store it for mail and never log it.
/// </summary>
/// <param name="Issuer">The OIDC issuer the subject belongs to; null when any issuer the platform trusts may vouch for it.</param>
/// <param name="StaffId">The member's person id in the school roster (Training), when the trust links them.</param>
public sealed record MemberChanged(
    Guid EventId,
    Guid TrustId,
    DateTimeOffset OccurredAt,
    Guid MemberId,
    string DisplayName,
    string Email,
    string? Subject,
    string? Issuer,
    Guid? StaffId,
    int Version) : IIntegrationEvent;

/// <summary>
/// An appointment as it is now: a member holds <see cref="Role"/> at <see cref="SchoolId"/> (null: across the trust,
/// the trust admin) from <see cref="StartsOn"/> to <see cref="EndsOn"/> (inclusive; null: open-ended). Sent when it is
/// made and again, with a higher <see cref="Version"/>, when its job title or dates change. An appointment that has
/// ended (<see cref="AppointmentEnded"/>) stays ended whatever arrives after.
/// </summary>
/// <param name="Role">One of headteacher, dsl, deputy_dsl, marketing_officer, ict_technician, esafety_team, chair, staff, trust_admin.</param>
/// <param name="JobTitle">What the school calls the post (the e-safety team's "Computing Lead"), for people and mail.</param>
public sealed record AppointmentStarted(
    Guid EventId,
    Guid TrustId,
    DateTimeOffset OccurredAt,
    Guid AppointmentId,
    Guid MemberId,
    Guid? SchoolId,
    string Role,
    string? JobTitle,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    int Version) : IIntegrationEvent;

/// <summary>An appointment ended (a tombstone: a replica keeps it even before the appointment itself arrives).</summary>
/// <param name="Reason">ended (a leader ended it) or left (the person left the school's roster).</param>
public sealed record AppointmentEnded(
    Guid EventId,
    Guid TrustId,
    DateTimeOffset OccurredAt,
    Guid AppointmentId,
    Guid MemberId,
    Guid? SchoolId,
    string Role,
    DateTimeOffset EndedAt,
    string Reason) : IIntegrationEvent;

/// <summary>
/// A member left a school's roster (Training's StaffLeft) and Policy ended their appointments there: the school's
/// headteacher must be told (the notifier mails them), and who held which posts that now stand empty.
/// </summary>
public sealed record MemberLeft(
    Guid EventId,
    Guid TrustId,
    Guid SchoolId,
    DateTimeOffset OccurredAt,
    Guid MemberId,
    Guid StaffId,
    DateOnly LeaveDate,
    IReadOnlyList<string> EndedRoles) : ISchoolEvent;
