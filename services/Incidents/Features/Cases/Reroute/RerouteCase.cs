using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.SchoolPolicies;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Reroute;

public static class RerouteCase
{
    /// <summary>The roles a case can be assigned to.</summary>
    public static readonly string[] AssignableRoles = [Roles.Dsl, Roles.Headteacher, Roles.Chair, Roles.MarketingOfficer, Roles.IctTechnician];

    /// <summary>Mark or unmark the case as about the headteacher, and/or assign it to another role; the reason goes on the timeline.</summary>
    public sealed record RerouteRequest(string Reason, bool? AboutHeadteacher = null, string? AssignedRole = null);

    /// <summary>How a case is routed, before and after, as the timeline records it.</summary>
    public sealed record RoutingState(bool AboutHeadteacher, string AssignedRole, bool Restricted, bool ChairInformed);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/cases/{id:guid}/routing", Handle)
            .RequireAccess([Roles.Dsl, Roles.Chair])
            .WithTags("Cases")
            .WithName("RerouteCase");

    /// <summary>
    /// A DSL or the chair corrects a wrongly routed case (002 l.225: concerns about the headteacher go to the chair). Who
    /// may see it follows from the new routing; a change that would take the case out of the actor's own sight is
    /// refused (422), so nobody can route a case away from every reader who could put it right.
    /// </summary>
    public static async Task<Results<Ok<CaseResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, RerouteRequest request, HttpContext http, IncidentsDbContext db, TenantReadCache<EffectivePolicy> policies, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var (c, viewer) = await CaseAccess.LoadFullWithViewerAsync(db, principal, id, "reroute", time, cancellationToken);
        if (c is null || !principal.CanActForSchool(c.SchoolId, Roles.Dsl, Roles.Chair))
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("reason", request.Reason, 2000);
        if (request.AboutHeadteacher is null && request.AssignedRole is null)
        {
            errors.Add("aboutHeadteacher", "Give aboutHeadteacher, assignedRole or both.");
        }

        if (request.AssignedRole is { } role && !AssignableRoles.Contains(role))
        {
            errors.Add("assignedRole", $"One of {string.Join(", ", AssignableRoles)}.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var before = new RoutingState(c.AboutHeadteacher, c.AssignedRole, c.Restricted, c.ChairInformed);
        if (request.AboutHeadteacher is { } about && about != c.AboutHeadteacher)
        {
            // Routed again from what was reported (type, subject, the reporter's safeguarding flag) and the school's policy.
            var policy = await SchoolPolicyView.FindAsync(db, policies, c.SchoolId, cancellationToken);
            var subjectKind = Enum.Parse<SubjectKind>(c.SubjectKind, ignoreCase: true);
            var route = CaseRouting.Route(CaseMapping.TypeOf(c), subjectKind, about, c.Safeguarding, policy?.Routing ?? PolicyDefaults.Routing);
            c.AboutHeadteacher = route.AboutHeadteacher;
            c.Restricted = route.Restricted;
            c.ChairInformed = route.ChairInformed;
            c.AssignedRole = route.AssignedRole;
            var closedOn = c.ClosedAt is { } closed ? DateOnly.FromDateTime(closed.UtcDateTime) : (DateOnly?)null;
            c.RetentionUntil = CaseRouting.RetentionUntil(CaseMapping.TypeOf(c), c.Restricted, subjectKind, c.DateOfBirth, closedOn);
        }

        c.AssignedRole = request.AssignedRole ?? c.AssignedRole;
        var after = new RoutingState(c.AboutHeadteacher, c.AssignedRole, c.Restricted, c.ChairInformed);
        if (CaseVisibility.ViewOf(viewer, c) != CaseView.Full)
        {
            // Nothing is saved: the tracked changes are dropped with this request's context.
            var field = before.AboutHeadteacher != after.AboutHeadteacher ? "aboutHeadteacher" : "assignedRole";
            return new FieldErrors().Add(field, "After this change you could no longer see the case; ask another DSL or the chair.")
                .ToUnprocessable("The case would be routed away from you");
        }

        if (after != before)
        {
            CaseAccess.Append(db, c, "rerouted", new { from = before, to = after, reason = request.Reason.Trim() },
                CaseAccess.ActorOf(principal), CaseAccess.RoleOf(principal, c), time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        ETags.Set(http.Response, c.Version);
        return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, cancellationToken)));
    }
}
