using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Schools.List;

public sealed class ListSchools(PolicyDbContext db) : PlatformEndpoint<PageQuery, Results<Ok<Page<SchoolResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools");
        Allow(RoleSets.AnyoneInSchool, Scope.DirectoryRead);
        Document("Schools", "List the caller's schools",
            "Every school of the trust for a trust-wide role or an unrestricted key; otherwise the schools the caller's roles or key cover. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<SchoolResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.Schools.AsNoTracking();
        if (Caller.SchoolsFor([.. RoleSets.AnyoneInSchool]) is { } visible)
        {
            var ids = visible.ToArray();
            query = query.Where(s => ids.Contains(s.Id));
        }

        var rows = await query.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, SchoolResponse.From));
    }
}
