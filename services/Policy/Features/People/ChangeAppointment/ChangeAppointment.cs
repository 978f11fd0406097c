using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.ChangeAppointment;

public sealed class ChangeAppointmentCommand
{
    public Guid SchoolId { get; init; }

    public Guid AppointmentId { get; init; }

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public ChangeAppointmentRequest Body { get; init; } = null!;
}

public sealed class ChangeAppointment(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<ChangeAppointmentCommand, Results<Ok<AppointmentResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "Change a post's job title or days",
            "Replaces the job title, first and last day; every service hears of it from AppointmentStarted (with a higher version). An ended " +
            "post is a 409 (appoint again instead). Send the ETag last read in If-Match (428 without, 412 when stale). A headteacher may not " +
            "change the headteacher's or the chair's post (403 `trust_appoints`).");
        Problems(409, 412, 428);
    }

    public override async Task<Results<Ok<AppointmentResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(ChangeAppointmentCommand command, CancellationToken ct)
    {
        var row = await Appointing.FindAsync(db, db.Appointments.Where(a => a.SchoolId == command.SchoolId && a.Id == command.AppointmentId), ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var (appointment, name) = row.Value;
        if (!Caller.CanActForSchool(command.SchoolId, Role.TrustAdmin) && AppointmentRoles.TrustAppoints.Contains(appointment.Role))
        {
            return ApiProblem.Forbidden(MemberAccess.TrustAppoints, "The trust appoints this post", "The headteacher's and the chair's posts are the trust's admins' to change.");
        }

        if (ETags.Check(command.IfMatch, appointment.Version) is { } precondition)
        {
            return precondition;
        }

        if (appointment.EndedAt is not null)
        {
            return ApiProblem.WrongState("The post has ended", "ended", "An ended post stays ended: appoint the member again.");
        }

        var request = command.Body;
        var now = time.GetUtcNow();
        appointment.JobTitle = request.JobTitle?.Trim();
        appointment.StartsOn = request.StartsOn;
        appointment.EndsOn = request.EndsOn;
        appointment.Version++;
        PeopleEvents.Started(db, appointment, now);
        await db.SaveChangesAsync(ct);

        ETags.Set(HttpContext.Response, appointment.Version);
        return TypedResults.Ok(AppointmentResponse.From(appointment, name));
    }
}

public sealed class ChangeAppointmentValidator : Validator<ChangeAppointmentCommand>
{
    public ChangeAppointmentValidator() => RuleFor(x => x.Body).SetValidator(new ChangeAppointmentRequestRules());
}
