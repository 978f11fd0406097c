using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Get;

public static class GetCase
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cases/{id:guid}", Handle)
            .RequireAccess(CaseAccess.SchoolRoles, Scopes.IncidentsWrite)
            .WithTags("Cases")
            .WithName("GetCase");

    /// <summary>The whole case for those who may read it (audited when restricted); the receipt for its reporter; 404 for anyone else.</summary>
    public static async Task<Results<Ok<CaseResponse>, Ok<CaseReceipt>, NotFound>> Handle(
        Guid id, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var (c, view, _) = await CaseAccess.LoadAsync(db, principal, id, cancellationToken);
        switch (view)
        {
            case CaseView.Full:
                if (c!.Restricted)
                {
                    CaseAccess.Audit(db, principal, c, "read", time.GetUtcNow());
                    await db.SaveChangesAsync(cancellationToken);
                }

                ETags.Set(http.Response, c.Version);
                return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, cancellationToken)));
            case CaseView.Receipt:
                return TypedResults.Ok(CaseMapping.Receipt(c!));
            default:
                return TypedResults.NotFound();
        }
    }
}
