using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases.Escalate;

public static class EscalateCase
{
    /// <summary>
    /// The ladder (000 l.139-142): internal, the disciplinary or behaviour policy, a report to the platform provider
    /// ("contacting the internet service provider ... through their reporting mechanisms"), the police.
    /// </summary>
    public static readonly string[] Steps = ["internal", "disciplinary", "provider_report", "police"];

    public sealed record EscalationRequest(string Step, string Reason);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/cases/{id:guid}/escalations", Handle)
            .RequireAccess([Roles.Dsl, Roles.Headteacher, Roles.Chair, Roles.TrustAdmin, Roles.MarketingOfficer, Roles.IctTechnician])
            .WithTags("Cases")
            .WithName("EscalateCase");

    public static async Task<Results<Created<EscalationResponse>, NotFound, ValidationProblem>> Handle(
        Guid id, EscalationRequest request, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var c = await CaseAccess.LoadFullAsync(db, principal, id, "escalate", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("reason", request.Reason, 2000);
        if (!Steps.Contains(request.Step))
        {
            errors.Add("step", $"One of {string.Join(", ", Steps)}.");
        }

        if (c.Status != CaseStatus.Open)
        {
            errors.Add("status", "A closed case cannot be escalated.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var actor = CaseAccess.ActorOf(principal);
        var role = CaseAccess.RoleOf(principal, c);
        var entry = CaseAccess.Append(db, c, "escalation", new { step = request.Step, reason = request.Reason.Trim() }, actor, role, now);
        c.EscalationStep = request.Step;
        // Restricted cases carry no reason on the wire: the reason may name a child.
        db.AddEvent(new IncidentEscalated(Guid.CreateVersion7(now), c.TrustId, c.SchoolId, now, c.Id, request.Step, c.Restricted ? "restricted" : request.Reason.Trim()), c.Id.ToString(), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/cases/{c.Id}", new EscalationResponse(request.Step, request.Reason.Trim(), actor, role, entry.At));
    }
}
