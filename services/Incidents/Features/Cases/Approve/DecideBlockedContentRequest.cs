using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.Approve;

public static class DecideBlockedContentRequest
{
    /// <summary>002 Appendix A (l.274-279): authoriser, approved?, reasons; the authoriser and date come from the caller and the clock.</summary>
    public sealed record DecisionRequest(bool Approved, string Reasons);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/cases/{id:guid}/decision", Handle)
            .RequireAccess([Roles.Headteacher])
            .WithTags("Cases")
            .WithName("DecideBlockedContentRequest");

    /// <summary>002 l.245-247: a blocked content access request "will be approved by the headteacher/principal".</summary>
    public static async Task<Results<Created<TimelineEntryResponse>, NotFound, ValidationProblem>> Handle(
        Guid id, DecisionRequest request, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var c = await CaseAccess.LoadFullAsync(db, principal, id, "decide", time, cancellationToken);
        if (c is null || !principal.CanActForSchool(c.SchoolId, Roles.Headteacher))
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("reasons", request.Reasons, 2000);
        if (CaseMapping.TypeOf(c) != CaseType.BlockedContentRequest)
        {
            errors.Add("type", "Only a blocked content access request is approved or refused.");
        }

        if (c.Status != CaseStatus.Open)
        {
            errors.Add("status", "The request is already closed.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var entry = CaseAccess.Append(db, c, "decision", new { approved = request.Approved, reasons = request.Reasons.Trim() },
            CaseAccess.ActorOf(principal), Roles.Headteacher, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/cases/{c.Id}/timeline", TimelineEntryResponse.From(entry));
    }
}
