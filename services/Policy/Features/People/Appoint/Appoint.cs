using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.Appoint;

public sealed class AppointCommand
{
    public Guid SchoolId { get; init; }

    [FromBody]
    public AppointRequest Body { get; init; } = null!;
}

/// <summary>A trust admin, or the school's headteacher, appoints a member to a post at the school.</summary>
public sealed class Appoint(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<AppointCommand, Results<Created<AppointmentResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/appointments");
        Allow(RoleSets.SchoolLeaders);
        Document("People", "Appoint a member to a post at the school",
            "The member then holds the post's role at this school in every service, from startsOn to endsOn (a deputy DSL acts as the DSL; an " +
            "e-safety team member as staff). For the trust's admins and the school's headteacher; a headteacher may not appoint a headteacher " +
            "or the chair (403 `trust_appoints`: the trust's decisions). A member who already holds the post on those days is a 409. With an " +
            "Idempotency-Key, a retry returns the appointment made the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per appointment: a retry with it returns the appointment made the first time.");
        Summary(s => s.ExampleRequest = new AppointRequest(Guid.Parse("0193a1c2-0000-7000-8000-000000000003"), AppointmentRoles.EsafetyTeam,
            new DateOnly(2025, 9, 1), "Computing Lead"));
    }

    public override async Task<Results<Created<AppointmentResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(AppointCommand command, CancellationToken ct)
    {
        if (!await db.Schools.AnyAsync(s => s.Id == command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        if (!Caller.CanActForSchool(command.SchoolId, Role.TrustAdmin) && AppointmentRoles.TrustAppoints.Contains(request.Role))
        {
            return ApiProblem.Forbidden(MemberAccess.TrustAppoints, "The trust appoints this post",
                "A headteacher appoints the school's staff; the headteacher and the chair are appointed by the trust's admins.");
        }

        var (appointment, name, problem) = await Appointing.AppointAsync(
            db, request.MemberId, command.SchoolId, request.Role, request, Caller.Subject, time.GetUtcNow(), ct);
        if (problem is not null)
        {
            return problem;
        }

        ETags.Set(HttpContext.Response, appointment!.Version);
        return TypedResults.Created($"/v1/schools/{command.SchoolId}/appointments/{appointment.Id}", AppointmentResponse.From(appointment, name));
    }
}

public sealed class AppointValidator : Validator<AppointCommand>
{
    public AppointValidator() => RuleFor(x => x.Body).SetValidator(new AppointRequestRules());
}
