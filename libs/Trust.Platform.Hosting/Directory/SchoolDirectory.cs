using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
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
}

/// <summary>
/// GET /v1/schools in a service that keeps a replica of Policy's directory: the schools it knows for the caller,
/// cursor-paginated. Each such service declares its endpoint in one line,
/// <c>public sealed class ListDirectorySchools : DirectorySchoolsEndpoint&lt;ItsDbContext&gt;;</c>
/// </summary>
public abstract class DirectorySchoolsEndpoint<TContext> : PlatformEndpoint<PageQuery, Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>>
    where TContext : TenantDbContext
{
    public override void Configure()
    {
        Get("/v1/schools");
        Allow(SchoolDirectory.Readers, Auth.Scopes.DirectoryRead);
        Document("Schools", "List the caller's schools",
            "The schools of the trust as this service knows them (its copy of Policy's directory, kept from SchoolAdded and SchoolUpdated): every " +
            "school for a trust-wide role or an unrestricted key, otherwise those the caller's roles or key cover. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var query = Resolve<TContext>().Set<DirectorySchool>().AsNoTracking();
        if (Caller.SchoolsFor(SchoolDirectory.Readers) is { } visible)
        {
            var ids = visible.ToArray();
            query = query.Where(s => ids.Contains(s.SchoolId));
        }

        if (after is { } afterId)
        {
            query = query.Where(s => s.SchoolId.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(s => s.SchoolId).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.Build(rows, size, s => s.SchoolId.ToString(),
            s => new SchoolDirectory.DirectorySchoolResponse(s.SchoolId, s.Name, s.Urn, s.Phase, s.LocalAuthority, s.TimeZone, s.Version)));
    }
}
