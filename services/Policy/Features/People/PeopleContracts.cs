using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.People;

/// <summary>A member of the trust. The email is personal data: shown to the trust's admins and the headteachers who see the member, never logged.</summary>
/// <param name="Subject">The OIDC subject (<c>sub</c>) they sign in with; null until linked.</param>
/// <param name="Issuer">The OIDC issuer of the subject; null when any issuer the platform trusts may vouch for it.</param>
/// <param name="StaffId">Their person id in the school roster (Training): their own training and "my cases" use it.</param>
public sealed record MemberResponse(
    Guid Id, string DisplayName, string Email, string? Subject, string? Issuer, Guid? StaffId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static MemberResponse From(TrustMember m) =>
        new(m.Id, m.DisplayName, m.Email, m.Subject, m.Issuer, m.StaffId, m.CreatedAt, m.UpdatedAt, m.Version);
}

/// <summary>Who a member is and how they sign in (the whole record: a PUT replaces it).</summary>
/// <param name="Subject">The <c>sub</c> claim their identity provider (Microsoft 365, Google Workspace...) issues for them.</param>
/// <param name="Issuer">The identity provider's issuer (<c>iss</c>); leave it out to accept the subject from any issuer the platform trusts.</param>
/// <param name="StaffId">Their person id in the school roster, when they are on a school's staff.</param>
public sealed record MemberRequest(string DisplayName, string Email, string? Subject = null, string? Issuer = null, Guid? StaffId = null)
{
    public void ApplyTo(TrustMember member)
    {
        member.DisplayName = DisplayName.Trim();
        member.Email = Email.Trim().ToLowerInvariant();
        member.Subject = string.IsNullOrWhiteSpace(Subject) ? null : Subject;
        member.Issuer = string.IsNullOrWhiteSpace(Issuer) ? null : Issuer;
        member.StaffId = StaffId;
    }
}

public sealed class MemberRequestRules : AbstractValidator<MemberRequest>
{
    public MemberRequestRules()
    {
        RuleFor(x => x.DisplayName).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.Email).NotEmpty().WithMessage("Required.").MaximumLength(254).EmailAddress().WithMessage("Not an email address.");
        RuleFor(x => x.Subject).MaximumLength(255);
        RuleFor(x => x.Issuer).MaximumLength(255)
            .Must(i => i is null || !string.IsNullOrWhiteSpace(i)).WithMessage("Leave the issuer out rather than blank.");
        RuleFor(x => x.Issuer).Null().When(x => string.IsNullOrWhiteSpace(x.Subject)).WithMessage("An issuer needs the subject it vouches for.");
        RuleFor(x => x.StaffId).Must(id => id != Guid.Empty).When(x => x.StaffId is not null).WithMessage("Not a roster person id.");
    }
}

/// <summary>A post a member holds at a school (or across the trust) between two days.</summary>
/// <param name="SchoolId">Null for a post held across the trust (the trust admin).</param>
/// <param name="Role">headteacher, dsl, deputy_dsl, marketing_officer, ict_technician, esafety_team, chair, staff (at a school), or trust_admin.</param>
/// <param name="EndsOn">The last day of the post (inclusive); null while open-ended.</param>
/// <param name="EndedAt">When a leader ended it or the person left the roster; an ended post never comes back.</param>
/// <param name="EndReason">ended (a leader ended it) or left (the person left the school's roster).</param>
public sealed record AppointmentResponse(
    Guid Id, Guid MemberId, string DisplayName, Guid? SchoolId, string Role, string? JobTitle, DateOnly StartsOn, DateOnly? EndsOn,
    DateTimeOffset? EndedAt, string? EndReason, int Version)
{
    public static AppointmentResponse From(Appointment a, string displayName) =>
        new(a.Id, a.MemberId, displayName, a.SchoolId, a.Role, a.JobTitle, a.StartsOn, a.EndsOn, a.EndedAt, a.EndReason, a.Version);
}

/// <summary>What every appointment request says of the post's days and title.</summary>
public interface IAppointmentTerms
{
    DateOnly StartsOn { get; }

    DateOnly? EndsOn { get; }

    string? JobTitle { get; }
}

/// <summary>Appoints a member to a post at the school.</summary>
/// <param name="Role">One of headteacher, dsl, deputy_dsl, marketing_officer, ict_technician, esafety_team, chair, staff.</param>
/// <param name="JobTitle">What the school calls the post, e.g. "Computing Lead" for a member of the e-safety team.</param>
/// <param name="StartsOn">The first day of the post.</param>
/// <param name="EndsOn">The last day (inclusive); leave it out for an open-ended post.</param>
public sealed record AppointRequest(Guid MemberId, string Role, DateOnly StartsOn, string? JobTitle = null, DateOnly? EndsOn = null) : IAppointmentTerms;

/// <summary>Appoints a member as a trust admin (the CEO, the trust's central team) across every school.</summary>
public sealed record TrustAppointRequest(Guid MemberId, DateOnly StartsOn, string? JobTitle = null, DateOnly? EndsOn = null) : IAppointmentTerms;

/// <summary>Changes a post's title and days (the member and the post stay).</summary>
public sealed record ChangeAppointmentRequest(DateOnly StartsOn, string? JobTitle = null, DateOnly? EndsOn = null) : IAppointmentTerms;

/// <summary>The rules every appointment's days and title follow.</summary>
public class AppointmentTermsRules<T> : AbstractValidator<T>
    where T : IAppointmentTerms
{
    public const int MaxJobTitle = 120;

    /// <summary>How far back or ahead a post's days may lie: enough for any real record, short of typing slips (0205 for 2025).</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2100, 12, 31);

    public AppointmentTermsRules()
    {
        RuleFor(x => x.StartsOn).InclusiveBetween(Earliest, Latest).WithMessage("A day between 2000-01-01 and 2100-12-31.");
        RuleFor(x => x.EndsOn).Must((x, end) => end is null || (end.Value >= x.StartsOn && end.Value <= Latest))
            .WithMessage("The last day is on or after startsOn, and no later than 2100-12-31.");
        RuleFor(x => x.JobTitle).MaximumLength(MaxJobTitle).Must(t => t is null || !string.IsNullOrWhiteSpace(t))
            .WithMessage("Leave the job title out rather than blank.");
    }
}

public sealed class AppointRequestRules : AppointmentTermsRules<AppointRequest>
{
    public AppointRequestRules()
    {
        RuleFor(x => x.MemberId).NotEmpty().WithMessage("Required.");
        RuleFor(x => x.Role).NotEmpty().WithMessage("Required.").MaximumLength(40)
            .Must(AppointmentRoles.School.Contains).WithMessage("One of " + string.Join(", ", AppointmentRoles.School) + ".");
    }
}

public sealed class TrustAppointRequestRules : AppointmentTermsRules<TrustAppointRequest>
{
    public TrustAppointRequestRules() => RuleFor(x => x.MemberId).NotEmpty().WithMessage("Required.");
}

public sealed class ChangeAppointmentRequestRules : AppointmentTermsRules<ChangeAppointmentRequest>;

/// <summary>Which members a caller sees, and whether they may change one: one rule for single loads and lists.</summary>
public static class MemberAccess
{
    /// <summary>
    /// A trust admin sees every member; a headteacher the members holding (or having held) a post at a school they lead,
    /// and those they invited. Everyone else sees none (a member reads their own record through /v1/me).
    /// </summary>
    public static IQueryable<TrustMember> Visible(PolicyDbContext db, PlatformPrincipal caller)
    {
        if (caller.ReachesWholeTrust(Role.TrustAdmin))
        {
            return db.TrustMembers;
        }

        var schools = (caller.SchoolsFor(Role.Headteacher) ?? new HashSet<Guid>()).Cast<Guid?>().ToArray();
        var subject = caller.Subject;
        return db.TrustMembers.Where(m => m.InvitedBy == subject ||
                                          db.Appointments.Any(a => a.MemberId == m.Id && schools.Contains(a.SchoolId)));
    }

    /// <summary>
    /// A headteacher may change a member only when every current post of theirs is at a school the headteacher leads (a
    /// member who is also another school's DSL, or a trust admin, is the trust's to change).
    /// </summary>
    public static async Task<bool> MayChangeAsync(PolicyDbContext db, PlatformPrincipal caller, Guid memberId, CancellationToken ct)
    {
        if (caller.ReachesWholeTrust(Role.TrustAdmin))
        {
            return true;
        }

        var schools = (caller.SchoolsFor(Role.Headteacher) ?? new HashSet<Guid>()).Cast<Guid?>().ToArray();
        return !await db.Appointments.AnyAsync(a => a.MemberId == memberId && a.EndedAt == null && !schools.Contains(a.SchoolId), ct);
    }

    public const string MemberBeyondSchool = "member_beyond_school";
    public const string TrustAppoints = "trust_appoints";
    public const string LastTrustAdmin = "last_trust_admin";
}

/// <summary>The events of members and appointments, published through the outbox on the member's stream (in order per member).</summary>
internal static class PeopleEvents
{
    public const string Ended = "ended";
    public const string Left = "left";

    public static void Member(PolicyDbContext db, TrustMember m, DateTimeOffset now) =>
        db.AddEvent(new MemberChanged(Guid.CreateVersion7(now), m.TrustId, now, m.Id, m.DisplayName, m.Email, m.Subject, m.Issuer, m.StaffId, m.Version),
            m.Id.ToString(), now);

    public static void Started(PolicyDbContext db, Appointment a, DateTimeOffset now) =>
        db.AddEvent(new AppointmentStarted(Guid.CreateVersion7(now), a.TrustId, now, a.Id, a.MemberId, a.SchoolId, a.Role, a.JobTitle, a.StartsOn, a.EndsOn, a.Version),
            a.MemberId.ToString(), now);

    public static void End(PolicyDbContext db, Appointment a, string reason, DateTimeOffset now)
    {
        a.EndedAt = now;
        a.EndReason = reason;
        a.Version++;
        db.AddEvent(new AppointmentEnded(Guid.CreateVersion7(now), a.TrustId, now, a.Id, a.MemberId, a.SchoolId, a.Role, now, reason), a.MemberId.ToString(), now);
    }
}
