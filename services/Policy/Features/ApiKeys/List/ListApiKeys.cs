using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.ApiKeys.List;

public sealed class ListApiKeys(PolicyDbContext db) : PlatformEndpoint<PageQuery, Results<Ok<Page<ApiKeyResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/api-keys");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("API keys", "List the trust's API keys",
            "Trust admins only: every key of the trust, revoked and expired ones included, ordered by id and cursor-paginated; never the keys themselves.");
    }

    public override async Task<Results<Ok<Page<ApiKeyResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.ApiKeys.AsNoTracking();
        var rows = await query.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, ApiKeyResponse.From));
    }
}
