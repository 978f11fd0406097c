using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Schools.List;

/// <summary>The schools Training knows (its replica of Policy's directory), answered by the platform's shared directory list.</summary>
public sealed class ListDirectorySchools : PlatformEndpoint<PageQuery, Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools");
        Allow(RoleSets.AnyoneInSchool, Scope.DirectoryRead);
        Document("Schools", "List the caller's schools",
            "The schools of the trust as Training knows them (from Policy's directory): every school for a trust-wide role or an unrestricted key, " +
            "otherwise those the caller's roles or key cover. Ordered by id, cursor-paginated.");
    }

    public override Task<Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct) =>
        SchoolDirectoryList<TrainingDbContext>.Handler(HttpContext, page.Limit, page.Cursor, ct);
}
