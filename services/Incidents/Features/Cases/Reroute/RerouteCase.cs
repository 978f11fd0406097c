using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Features.SchoolPolicies;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.Reroute;

/// <summary>Mark or unmark the case as about the headteacher, and/or assign it to another role; the reason goes on the timeline.</summary>
public sealed record RerouteCaseRequest(string Reason, bool? AboutHeadteacher = null, string? AssignedRole = null);

/// <summary>How a case is routed, before and after, as the timeline records it.</summary>
public sealed record RoutingState(bool AboutHeadteacher, string AssignedRole, bool Restricted, bool ChairInformed)
{
    public static RoutingState Of(IncidentCase c) => new(c.AboutHeadteacher, c.AssignedRole, c.Restricted, c.ChairInformed);
}

public sealed class RerouteCaseCommand : CaseRoute
{
    [FromBody]
    public RerouteCaseRequest Body { get; init; } = null!;
}

public sealed class RerouteCaseValidator : Validator<RerouteCaseCommand>
{
    /// <summary>The roles a case can be assigned to.</summary>
    public static readonly IReadOnlyList<string> AssignableRoles = [Role.Dsl, Role.Headteacher, Role.Chair, Role.MarketingOfficer, Role.IctTechnician];

    public RerouteCaseValidator()
    {
        RuleFor(x => x.Body.Reason).NotEmpty().WithMessage("Required.").MaximumLength(2000);
        RuleFor(x => x.Body.AboutHeadteacher).NotNull().When(x => x.Body.AssignedRole is null).WithMessage("Give aboutHeadteacher, assignedRole or both.");
        RuleFor(x => x.Body.AssignedRole).MaximumLength(30)
            .Must(role => role is null || AssignableRoles.Contains(role)).WithMessage($"One of {string.Join(", ", AssignableRoles)}.");
    }
}

/// <summary>
/// A DSL or the chair corrects a wrongly routed case (002 l.225: concerns about the headteacher go to the chair). Who
/// may see it follows from the new routing; a change that would take the case out of the actor's own sight is
/// refused (422), so nobody can route a case away from every reader who could put it right.
/// </summary>
public sealed class RerouteCase(IncidentsDbContext db, TenantReadCache<EffectivePolicy> policies, TimeProvider time)
    : PlatformEndpoint<RerouteCaseCommand, Results<Ok<CaseResponse>, NotFound, ProblemHttpResult>>
{
    public const string StaysVisibleRule = "incidents.reroute_keeps_case_visible";

    public const string EscalationRouteRule = "incidents.escalation_route_follows_policy";

    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/routing");
        Allow(RoleSets.CaseRouters);
        Document("Cases", "Re-route a case",
            "A DSL or the chair corrects a wrongly routed case: marks it as about the headteacher (then it goes to the chair, 002 l.225) or not, and/or " +
            "assigns it to another role; who may see it follows from the new routing. A change that would take the case out of the caller's own sight " +
            "is refused (422, rule incidents.reroute_keeps_case_visible); so is re-routing a whistle-blowing or grievance case, which stays with the school's " +
            "escalation contacts (422, rule incidents.escalation_route_follows_policy).");
        Problems(422);
    }

    public override async Task<Results<Ok<CaseResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(RerouteCaseCommand command, CancellationToken ct)
    {
        var (c, viewer) = await CaseAccess.LoadFullWithViewerAsync(db, Caller, command.Id, "reroute", time, ct);
        if (c is null || !Caller.CanActForSchool(c.SchoolId, [.. RoleSets.CaseRouters]))
        {
            return TypedResults.NotFound();
        }

        if (CaseRouting.GoesToEscalationContacts(c.Type()))
        {
            // 001 l.98-102: the route for the aggrieved is the school's named contacts; moving it to a role would put it in the school's line of management.
            return ApiProblem.RuleRefused(EscalationRouteRule, "A whistle-blowing or grievance case stays with the escalation contacts",
                new FieldErrors().Add("assignedRole", "Its route follows the school's escalation contacts (escalation.contacts), not a role."));
        }

        var request = command.Body;
        var before = RoutingState.Of(c);
        if (request.AboutHeadteacher is { } about && about != c.AboutHeadteacher)
        {
            var policy = await SchoolPolicyView.FindAsync(db, policies, c.SchoolId, ct);
            var zone = await db.Schools.Where(s => s.SchoolId == c.SchoolId).Select(s => s.TimeZone).FirstOrDefaultAsync(ct);
            var closedOn = c.ClosedAt is { } closed ? PlatformClock.LocalDate(closed, zone) : (DateOnly?)null;
            CaseIntake.Reroute(c, about, policy?.Routing ?? PolicyDefaults.Routing, closedOn);
        }

        c.AssignedRole = request.AssignedRole ?? c.AssignedRole;
        var after = RoutingState.Of(c);
        if (CaseVisibility.ViewOf(viewer, c) != CaseView.Full)
        {
            // Nothing is saved: the tracked changes are dropped with this request's context.
            var field = before.AboutHeadteacher != after.AboutHeadteacher ? "aboutHeadteacher" : "assignedRole";
            return ApiProblem.RuleRefused(StaysVisibleRule, "The case would be routed away from you",
                new FieldErrors().Add(field, "After this change you could no longer see the case; ask another DSL or the chair."));
        }

        if (after != before)
        {
            CaseAccess.Append(db, c, "rerouted", new { from = before, to = after, reason = request.Reason.Trim() },
                Caller.Actor, CaseAccess.RoleOf(Caller, c), time.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }

        ETags.Set(HttpContext.Response, c.Version);
        return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, ct)));
    }
}
