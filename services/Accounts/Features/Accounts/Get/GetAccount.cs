using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.Get;

public static class GetAccount
{
    public static readonly string[] Readers = [Roles.TrustAdmin, Roles.Headteacher, Roles.MarketingOfficer, Roles.Staff];

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/accounts/{id:guid}", Handle)
            .RequireAccess(Readers, Scopes.AccountsRead)
            .WithTags("Accounts")
            .WithName("GetAccount");

    public static async Task<Results<Ok<AccountResponse>, NotFound>> Handle(Guid id, HttpContext http, AccountsDbContext db, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null || !Access.CanSee(http.Principal(), account))
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
