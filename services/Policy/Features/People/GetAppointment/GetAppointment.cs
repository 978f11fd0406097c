using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.GetAppointment;

public sealed class GetAppointmentQuery
{
    public Guid SchoolId { get; init; }

    public Guid AppointmentId { get; init; }
}

public sealed class GetAppointment(PolicyDbContext db) : PlatformEndpoint<GetAppointmentQuery, Results<Ok<AppointmentResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}");
        Allow(RoleSets.AnyoneInSchool);
        Document("People", "Read a post at the school", "Answers the ETag to send in If-Match when changing or ending it.");
    }

    public override async Task<Results<Ok<AppointmentResponse>, NotFound>> ExecuteAsync(GetAppointmentQuery query, CancellationToken ct)
    {
        var row = await Appointing.FindAsync(db, db.Appointments.AsNoTracking().Where(a => a.SchoolId == query.SchoolId && a.Id == query.AppointmentId), ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(HttpContext.Response, row.Value.Appointment.Version);
        return TypedResults.Ok(AppointmentResponse.From(row.Value.Appointment, row.Value.DisplayName));
    }
}
