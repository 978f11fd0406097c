using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.EndAppointment;

public sealed class EndAppointmentCommand
{
    public Guid SchoolId { get; init; }

    public Guid AppointmentId { get; init; }

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }
}

public sealed class EndAppointment(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<EndAppointmentCommand, Results<Ok<AppointmentResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "End a post now",
            "The member loses the post's role in every service within 5 seconds (AppointmentEnded). The post stays on record, ended; ending it " +
            "again is a 409. Send the ETag last read in If-Match (428 without, 412 when stale). A headteacher may not end the headteacher's or " +
            "the chair's post (403 `trust_appoints`).");
        Problems(409, 412, 428);
    }

    public override async Task<Results<Ok<AppointmentResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(EndAppointmentCommand command, CancellationToken ct)
    {
        var row = await Appointing.FindAsync(db, db.Appointments.Where(a => a.SchoolId == command.SchoolId && a.Id == command.AppointmentId), ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var (appointment, name) = row.Value;
        if (!Caller.CanActForSchool(command.SchoolId, Role.TrustAdmin) && AppointmentRoles.TrustAppoints.Contains(appointment.Role))
        {
            return ApiProblem.Forbidden(MemberAccess.TrustAppoints, "The trust appoints this post", "The headteacher's and the chair's posts are the trust's admins' to end.");
        }

        if (ETags.Check(command.IfMatch, appointment.Version) is { } precondition)
        {
            return precondition;
        }

        if (appointment.EndedAt is not null)
        {
            return ApiProblem.WrongState("The post has already ended", "ended");
        }

        PeopleEvents.End(db, appointment, PeopleEvents.Ended, time.GetUtcNow());
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, appointment.Version);
        return TypedResults.Ok(AppointmentResponse.From(appointment, name));
    }
}
