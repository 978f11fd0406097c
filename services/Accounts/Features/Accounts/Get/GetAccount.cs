using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.Get;

public sealed record GetAccountQuery(Guid Id);

public sealed class GetAccount(AccountsDbContext db) : PlatformEndpoint<GetAccountQuery, Results<Ok<AccountResponse>, NotFound>>
{
    private const string Title = "Read a register entry";

    private const string About =
        "An official account: its administrators, where its credentials are kept (never the credentials), its handover and review " +
        "state, with its ETag. The register's managers see their schools' accounts, staff the accounts they administer, an API " +
        "key with accounts.read the accounts of the schools it covers; any other is a 404.";

    public override void Configure()
    {
        Get("/v1/accounts/{id:guid}");
        Allow(RoleSets.AccountApplicants, Scope.AccountsRead);
        Document("Accounts", Title, About);
        Summary(s =>
        {
            s.ResponseExamples[200] = ContractExample.Of(AccountExamples.Live);
        });
    }

    public override async Task<Results<Ok<AccountResponse>, NotFound>> ExecuteAsync(GetAccountQuery query, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().Visible(Caller).SingleOrDefaultAsync(a => a.Id == query.Id, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(HttpContext.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
