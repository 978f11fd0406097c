using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Schools.List;

/// <summary>The schools this service knows for the caller (its replica of Policy's directory); the query is the platform's shared one.</summary>
public sealed class ListDirectorySchools : PlatformEndpoint<PageQuery, Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools");
        Allow(RoleSets.AnyoneInSchool, Scope.DirectoryRead);
        Document("Schools", "List the caller's schools as Incidents knows them",
            "Incidents' copy of the trust's school directory (kept from Policy's SchoolAdded/SchoolUpdated): every school for a trust-wide role or an " +
            "unrestricted key, otherwise the schools the caller's roles or key cover. Ordered by id, cursor-paginated.");
    }

    public override Task<Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct) =>
        SchoolDirectoryList<IncidentsDbContext>.Handler(HttpContext, page.Limit, page.Cursor, ct);
}
