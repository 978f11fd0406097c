using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.Directory;

/// <summary>The read side of a service's local school directory (the replica of Policy's schools).</summary>
public static class SchoolDirectory
{
    public static readonly string[] Readers =
        [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    public sealed record DirectorySchoolResponse(Guid Id, string Name, string Urn, string Phase, string? LocalAuthority, string TimeZone, int Version);

    public static ModelBuilder AddSchoolDirectory(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DirectorySchool>(e =>
        {
            e.ToTable("school_directory");
            e.HasKey(s => new { s.TrustId, s.SchoolId });
        });
        return modelBuilder;
    }

    /// <summary>GET /v1/schools: the schools this service knows for the caller, cursor-paginated.</summary>
    public static RouteHandlerBuilder MapSchoolDirectory<TContext>(this IEndpointRouteBuilder app)
        where TContext : TenantDbContext =>
        app.MapGet("/v1/schools", SchoolDirectoryList<TContext>.Handler)
            .RequireAccess(Readers, Scopes.DirectoryRead)
            .WithTags("Schools")
            .WithName("ListDirectorySchools");
}

/// <summary>The handler lives in a generic class: the route analyzer cannot follow a generic method group.</summary>
public static class SchoolDirectoryList<TContext>
    where TContext : TenantDbContext
{
    /// <summary>No generic type in the handler's signature: the route analyzer cannot follow one.</summary>
    public static readonly Func<HttpContext, int?, string?, CancellationToken, Task<Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>>> Handler =
        (http, limit, cursor, cancellationToken) => ListAsync(http, limit, cursor, cancellationToken);

    private static async Task<Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var db = http.RequestServices.GetRequiredService<TContext>();
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = db.Set<DirectorySchool>().AsNoTracking();
        if (http.Principal().SchoolsFor(SchoolDirectory.Readers) is { } visible)
        {
            var ids = visible.ToArray();
            query = query.Where(s => ids.Contains(s.SchoolId));
        }

        if (after is { } afterId)
        {
            query = query.Where(s => s.SchoolId.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(s => s.SchoolId).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, s => s.SchoolId.ToString(),
            s => new SchoolDirectory.DirectorySchoolResponse(s.SchoolId, s.Name, s.Urn, s.Phase, s.LocalAuthority, s.TimeZone, s.Version)));
    }
}
