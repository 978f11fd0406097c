using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Schools.List;

/// <summary>The schools of the directory replica the caller may see (the platform's shared list, on the template).</summary>
public sealed class ListDirectorySchools : PlatformEndpoint<PageQuery, Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>>
{
    private const string Title = "List the caller's schools";

    private const string About =
        "The schools of the trust as Accounts knows them from Policy's directory: every school for a trust-wide role or an " +
        "unrestricted key, otherwise those the caller's roles or key cover. Ordered by id, cursor-paginated.";

    public override void Configure()
    {
        Get("/v1/schools");
        Allow(SchoolDirectory.Readers, Scope.DirectoryRead);
        Document("Schools", Title, About);
    }

    public override Task<Results<Ok<Page<SchoolDirectory.DirectorySchoolResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct) =>
        SchoolDirectoryList<AccountsDbContext>.Handler(HttpContext, page.Limit, page.Cursor, ct);
}
