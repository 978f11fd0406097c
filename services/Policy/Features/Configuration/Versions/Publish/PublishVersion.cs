using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Features.Configuration.Documents;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Versions.Publish;

public sealed record PublishVersionCommand(Guid VersionId);

/// <summary>Publishing: every school's effective policy goes out as PolicyPublished; conflicts with school overrides block it.</summary>
public sealed class PublishVersion(PolicyDbContext db, TimeProvider time, TenantReadCache<JsonBytesResult<Effective.EffectivePolicyResponse>> cache)
    : PlatformEndpoint<PublishVersionCommand, Results<Ok<VersionResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/policy/versions/{versionId:guid}/publish");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy versions", "Publish a version",
            "Stamps each value changed since the last publication with this version, supersedes the version published before, flags schools' amended " +
            "sections for review on a major version, and sends PolicyPublished with each school's effective policy to the other services. A major version " +
            "must be approved first and a published one cannot be published again (409 with its `state`); school overrides the baseline no longer allows " +
            "block it (409 with `conflicts`: each school, setting, rule and reason). While any school's document would print a value as \"[not set]\" " +
            "(see the documents preview), publishing is refused: 422 with rule `nothing-unset` and one error per school and section " +
            "(`schools/{schoolId}/sections/{section}`) naming the settings to fill.");
        Problems(409, 422);
        Summary(s => s.ResponseExamples[200] = VersionExamples.Published);
    }

    public override async Task<Results<Ok<VersionResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(PublishVersionCommand command, CancellationToken ct)
    {
        var version = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == command.VersionId, ct);
        if (version is null)
        {
            return TypedResults.NotFound();
        }

        switch (VersionRules.CanPublish(version))
        {
            case PublishCheck.NotOpen:
                return ApiProblem.WrongState("Already published", VersionRules.Name(version.Status), $"Version {version.Label} is {VersionRules.Name(version.Status)}.");
            case PublishCheck.NeedsApproval:
                return ApiProblem.WrongState("Approval required", VersionRules.Name(version.Status), $"Version {version.Label} is major: record its approval first.");
        }

        var preview = await DocumentPreview.ForTrustAsync(db, ct);
        if (!preview.Publishable)
        {
            return ApiProblem.RuleRefused(DocumentPreview.NothingUnsetRule, "A school's document would render an unset value", DocumentPreview.Errors(preview));
        }

        try
        {
            await PolicyPublication.PublishAsync(db, version, time.GetUtcNow(), ct);
        }
        catch (PolicyPublication.ConflictsException conflicts)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "School overrides conflict with the baseline",
                Detail = "Resolve each conflict (change the baseline, or clear or change the school's override) before publishing.",
                Extensions = { ["conflicts"] = conflicts.Conflicts },
            });
        }

        await db.SaveChangesAsync(ct);
        cache.Invalidate(version.TrustId);
        return TypedResults.Ok(VersionResponse.From(version));
    }
}
