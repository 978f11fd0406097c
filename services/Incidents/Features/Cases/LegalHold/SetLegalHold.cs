using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.LegalHold;

public static class SetLegalHold
{
    public sealed record LegalHoldRequest(bool Hold, string? Reason = null);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/cases/{id:guid}/legal-hold", Handle)
            .RequireAccess([Roles.Dsl, Roles.Headteacher, Roles.TrustAdmin, Roles.Chair])
            .WithTags("Retention")
            .WithName("SetLegalHold");

    /// <summary>A legal hold keeps a case past its retention date (it is never listed for disposal while held). If-Match required.</summary>
    public static async Task<IResult> Handle(
        Guid id, LegalHoldRequest request, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var c = await CaseAccess.LoadFullAsync(db, principal, id, "legal_hold", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        if (ETags.CheckIfMatch(http.Request, c.Version) is { } precondition)
        {
            return precondition;
        }

        var errors = new FieldErrors().Optional("reason", request.Reason, 1000);
        if (request.Hold && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add("reason", "Required when placing a hold.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        c.LegalHold = request.Hold;
        c.LegalHoldReason = request.Hold ? request.Reason!.Trim() : null;
        CaseAccess.Append(db, c, "legal_hold", new { hold = request.Hold, reason = c.LegalHoldReason }, CaseAccess.ActorOf(principal), CaseAccess.RoleOf(principal, c), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, c.Version);
        return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, cancellationToken)));
    }
}
