using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Versions.List;

public sealed class ListVersions(PolicyDbContext db) : PlatformEndpoint<Ok<IReadOnlyList<VersionResponse>>>
{
    public override void Configure()
    {
        Get("/v1/policy/versions");
        Allow(RoleSets.TrustReaders, Scope.PolicyRead);
        Document("Policy versions", "List the versions of the trust's policy",
            "The version history, newest first: the open draft or approved version, the published one, and those it superseded, with who approved each and when.");
        Summary(s => s.ResponseExamples[200] = new[] { VersionExamples.Published });
    }

    public override async Task<Ok<IReadOnlyList<VersionResponse>>> ExecuteAsync(CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<VersionResponse>>((await db.PolicyVersions.AsNoTracking()
            .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).ToListAsync(ct)).Select(VersionResponse.From).ToList());
}
