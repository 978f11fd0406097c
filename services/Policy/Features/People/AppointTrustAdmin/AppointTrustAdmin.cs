using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.AppointTrustAdmin;

public sealed class AppointTrustAdminCommand
{
    [FromBody]
    public TrustAppointRequest Body { get; init; } = null!;
}

/// <summary>The trust's admins appoint another (the CEO, the central team): a post across every school.</summary>
public sealed class AppointTrustAdmin(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<AppointTrustAdminCommand, Results<Created<AppointmentResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/trust-appointments");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("People", "Appoint a trust admin",
            "The member becomes a trust admin of every school from startsOn (the CEO and the trust's central team). Trust admins only: a " +
            "headteacher never appoints one. A member who already holds the post on those days is a 409. With an Idempotency-Key, a retry " +
            "returns the appointment made the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per appointment: a retry with it returns the appointment made the first time.");
    }

    public override async Task<Results<Created<AppointmentResponse>, ProblemHttpResult>> ExecuteAsync(AppointTrustAdminCommand command, CancellationToken ct)
    {
        var request = command.Body;
        var (appointment, name, problem) = await Appointing.AppointAsync(db, request.MemberId, null, Role.TrustAdmin, request, Caller.Subject, time.GetUtcNow(), ct);
        if (problem is not null)
        {
            return problem;
        }

        ETags.Set(HttpContext.Response, appointment!.Version);
        return TypedResults.Created($"/v1/trust-appointments/{appointment.Id}", AppointmentResponse.From(appointment, name));
    }
}

public sealed class AppointTrustAdminValidator : Validator<AppointTrustAdminCommand>
{
    public AppointTrustAdminValidator() => RuleFor(x => x.Body).SetValidator(new TrustAppointRequestRules());
}
