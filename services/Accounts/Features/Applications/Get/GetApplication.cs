using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Features.Applications.Get;

public static class GetApplication
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/applications/{id:guid}", Handle)
            .RequireAccess(Access.Applicants)
            .WithTags("Applications")
            .WithName("GetApplication");

    public static async Task<Results<Ok<ApplicationResponse>, NotFound>> Handle(
        Guid id, HttpContext http, AccountsDbContext db, CancellationToken cancellationToken)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (application is null || !Access.CanSee(http.Principal(), application))
        {
            return TypedResults.NotFound();
        }

        var decisions = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ApplicationResponse.From(application, decisions));
    }
}
