using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.ApiKeys.List;

public static class ListApiKeys
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/api-keys", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin])
            .WithTags("API keys")
            .WithName("ListApiKeys");

    public static async Task<Results<Ok<Page<ApiKeyResponse>>, ProblemHttpResult>> Handle(
        PolicyDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.ApiKeys.AsNoTracking();
        if (after is { } afterId)
        {
            query = query.Where(k => k.Id.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(k => k.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, k => k.Id.ToString(), ApiKeyResponse.From));
    }
}
