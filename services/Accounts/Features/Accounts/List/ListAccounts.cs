using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Features.Accounts.Get;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.List;

public static class ListAccounts
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/accounts", Handle)
            .RequireAccess(GetAccount.Readers, Scopes.AccountsRead)
            .WithTags("Accounts")
            .WithName("ListAccounts");

    /// <summary>The register as the caller may see it, oldest first, filterable by school, status and platform.</summary>
    public static async Task<Results<Ok<Page<AccountResponse>>, ProblemHttpResult>> Handle(
        HttpContext http, AccountsDbContext db, Guid? schoolId, string? status, string? platform, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = Access.Visible(db.Accounts.AsNoTracking(), http.Principal());
        if (schoolId is { } school)
        {
            query = query.Where(a => a.SchoolId == school);
        }

        if (status is not null)
        {
            if (!Filters.TryParse<AccountStatus>(status, out var parsed))
            {
                return TypedResults.Problem(PlatformExceptionHandler.Validation(400, "status", "One of live, at_risk, closed."));
            }

            query = query.Where(a => a.Status == parsed);
        }

        if (platform is not null)
        {
            query = query.Where(a => a.Platform == platform);
        }

        if (after is { } afterId)
        {
            query = query.Where(a => a.Id.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, a => a.Id.ToString(), AccountResponse.From));
    }
}
