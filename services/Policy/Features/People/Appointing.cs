using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.People;

/// <summary>Making an appointment, at a school or across the trust: one way, whoever asks.</summary>
internal static class Appointing
{
    /// <summary>
    /// The member must exist (a 400 on memberId: the caller names them), and may not already hold this post there and then:
    /// two open DSL posts for one person at one school are one post (409).
    /// </summary>
    public static async Task<(Appointment? Appointment, string DisplayName, ProblemHttpResult? Problem)> AppointAsync(
        PolicyDbContext db, Guid memberId, Guid? schoolId, string role, IAppointmentTerms terms, string createdBy, DateTimeOffset now, CancellationToken ct)
    {
        var member = await db.TrustMembers.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, ct);
        if (member is null)
        {
            return (null, "", ApiProblem.Invalid("memberId", "No member of the trust has this id: invite them first (POST /v1/members)."));
        }

        var overlapping = await db.Appointments.AnyAsync(a =>
            a.MemberId == memberId && a.SchoolId == schoolId && a.Role == role && a.EndedAt == null &&
            (a.EndsOn == null || a.EndsOn >= terms.StartsOn) && (terms.EndsOn == null || a.StartsOn <= terms.EndsOn), ct);
        if (overlapping)
        {
            return (null, "", ApiProblem.Conflict("The member already holds this post", "An appointment to this post overlaps these days: change it rather than appoint again."));
        }

        var appointment = new Appointment
        {
            Id = Guid.CreateVersion7(now), TrustId = db.Tenant.TrustId!.Value, MemberId = memberId, SchoolId = schoolId, Role = role,
            JobTitle = terms.JobTitle?.Trim(), StartsOn = terms.StartsOn, EndsOn = terms.EndsOn, Version = 1, CreatedAt = now, CreatedBy = createdBy,
        };
        db.Appointments.Add(appointment);
        PeopleEvents.Started(db, appointment, now);
        await db.SaveChangesAsync(ct);
        return (appointment, member.DisplayName, null);
    }

    /// <summary>One page of appointments (by id) with their members' names.</summary>
    public static async Task<Page<AppointmentResponse>> PageAsync(PolicyDbContext db, IQueryable<Appointment> appointments, Guid? after, int size, CancellationToken ct)
    {
        var rows = await appointments.TakePageAsync(after, size, ct);
        var names = await NamesAsync(db, rows, ct);
        return Paging.Build(rows, size, a => AppointmentResponse.From(a, names[a.MemberId]));
    }

    /// <summary>The appointment with its member's name, or null.</summary>
    public static async Task<(Appointment Appointment, string DisplayName)?> FindAsync(PolicyDbContext db, IQueryable<Appointment> appointments, CancellationToken ct)
    {
        var appointment = await appointments.SingleOrDefaultAsync(ct);
        if (appointment is null)
        {
            return null;
        }

        return (appointment, (await NamesAsync(db, [appointment], ct))[appointment.MemberId]);
    }

    private static Task<Dictionary<Guid, string>> NamesAsync(PolicyDbContext db, IReadOnlyList<Appointment> appointments, CancellationToken ct)
    {
        var ids = appointments.Select(a => a.MemberId).Distinct().ToArray();
        return db.TrustMembers.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.DisplayName, ct);
    }
}
