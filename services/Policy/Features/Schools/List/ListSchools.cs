using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Schools.List;

public static class ListSchools
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools", Handle)
            .RequireAccess(SchoolAccess.Readers, Scopes.DirectoryRead)
            .WithTags("Schools")
            .WithName("ListSchools");

    /// <summary>The caller's schools (every school for a trust-wide role), ordered by id, cursor-paginated.</summary>
    public static async Task<Results<Ok<Page<SchoolResponse>>, ProblemHttpResult>> Handle(
        HttpContext http, PolicyDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.Schools.AsNoTracking();
        var visible = http.Principal().SchoolsFor(SchoolAccess.Readers);
        if (visible is not null)
        {
            var ids = visible.ToArray();
            query = query.Where(s => ids.Contains(s.Id));
        }

        if (after is { } afterId)
        {
            query = query.Where(s => s.Id.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(s => s.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, s => s.Id.ToString(), SchoolResponse.From));
    }
}
