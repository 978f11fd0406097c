using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.EndTrustAppointment;

public sealed class EndTrustAppointmentCommand
{
    public Guid AppointmentId { get; init; }

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }
}

public sealed class EndTrustAppointment(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<EndTrustAppointmentCommand, Results<Ok<AppointmentResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/v1/trust-appointments/{appointmentId:guid}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("People", "End a trust admin's post now",
            "The member stops being a trust admin in every service within 5 seconds. The trust's last current trust admin cannot be ended " +
            "(409: nobody could appoint another). Ending an ended post is a 409. Send the ETag last read in If-Match (428 without, 412 when stale).");
        Problems(409, 412, 428);
    }

    public override async Task<Results<Ok<AppointmentResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(EndTrustAppointmentCommand command, CancellationToken ct)
    {
        var row = await Appointing.FindAsync(db, db.Appointments.Where(a => a.SchoolId == null && a.Id == command.AppointmentId), ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var (appointment, name) = row.Value;
        if (ETags.Check(command.IfMatch, appointment.Version) is { } precondition)
        {
            return precondition;
        }

        if (appointment.EndedAt is not null)
        {
            return ApiProblem.WrongState("The post has already ended", "ended");
        }

        if (!await db.Appointments.AnyAsync(a => a.SchoolId == null && a.EndedAt == null && a.Id != appointment.Id, ct))
        {
            return ApiProblem.Conflict("The trust's last trust admin", "Appoint another trust admin before ending this post.");
        }

        PeopleEvents.End(db, appointment, PeopleEvents.Ended, time.GetUtcNow());
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, appointment.Version);
        return TypedResults.Ok(AppointmentResponse.From(appointment, name));
    }
}
