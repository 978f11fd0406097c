using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases.Close;

public static class CloseCase
{
    /// <summary>Outcomes the seeds name: dealt with internally (004 l.73), content removed (000 l.140), disciplinary (001 l.96), exclusion, police referral (000 l.142), no further action.</summary>
    public static readonly string[] Outcomes = ["resolved_internally", "content_removed", "disciplinary", "exclusion", "police_referral", "no_further_action"];

    /// <summary><c>Significant</c>: 002 l.263, training is refreshed in light of significant incidents.</summary>
    public sealed record CloseRequest(string Outcome, bool Significant, string? Note = null);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/cases/{id:guid}/close", Handle)
            .RequireAccess([Roles.Dsl, Roles.Headteacher, Roles.Chair, Roles.TrustAdmin, Roles.MarketingOfficer, Roles.IctTechnician])
            .WithTags("Cases")
            .WithName("CloseCase");

    public static async Task<Results<Ok<CaseResponse>, NotFound, ValidationProblem>> Handle(
        Guid id, CloseRequest request, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var c = await CaseAccess.LoadFullAsync(db, principal, id, "close", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Optional("note", request.Note, 4000);
        if (!Outcomes.Contains(request.Outcome))
        {
            errors.Add("outcome", $"One of {string.Join(", ", Outcomes)}.");
        }

        if (c.Status != CaseStatus.Open)
        {
            errors.Add("status", "The case is already closed.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        c.Status = CaseStatus.Closed;
        c.Outcome = request.Outcome;
        c.Significant = request.Significant;
        c.ClosedAt = now;
        var type = CaseMapping.TypeOf(c);
        var subject = Enum.Parse<SubjectKind>(c.SubjectKind, ignoreCase: true);
        c.RetentionUntil = CaseRouting.RetentionUntil(type, c.Restricted, subject, c.DateOfBirth, DateOnly.FromDateTime(now.UtcDateTime));
        CaseAccess.Append(db, c, "closed", new { outcome = request.Outcome, significant = request.Significant, note = request.Note?.Trim() },
            CaseAccess.ActorOf(principal), CaseAccess.RoleOf(principal, c), now);
        db.AddEvent(new IncidentClosed(Guid.CreateVersion7(now), c.TrustId, c.SchoolId, now, c.Id, c.CaseType, request.Outcome, request.Significant), c.Id.ToString(), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, cancellationToken)));
    }
}
