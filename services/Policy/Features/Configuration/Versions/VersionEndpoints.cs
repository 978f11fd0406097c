using Trust.Platform.Hosting.Caching;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Versions;

/// <summary>Draft a version: major (re-approval, staff re-acknowledge) or minor (metadata, typos).</summary>
public static class DraftVersion
{
    public sealed record Request(string Kind, string Summary);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/policy/versions", Handle).RequireTrustWideAccess([Roles.TrustAdmin]).WithTags("Policy versions").WithName("DraftVersion");

    public static async Task<Results<Created<VersionResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Required("summary", request.Summary, 1000);
        if (request.Kind is not ("major" or "minor"))
        {
            errors.Add("kind", "Must be major or minor.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await db.PolicyVersions.AnyAsync(v => v.Status == "draft" || v.Status == "approved", cancellationToken))
        {
            return TypedResults.Problem(statusCode: 409, title: "A version is already open", detail: "Publish or discard the open draft first.");
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, cancellationToken);
        var last = await db.PolicyVersions.Where(v => v.Status == "published" || v.Status == "superseded")
            .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).FirstOrDefaultAsync(cancellationToken);
        var (major, minor) = last is null ? (1, 0) : request.Kind == "major" ? (last.Major + 1, 0) : (last.Major, last.Minor + 1);
        var version = new PolicyVersion
        {
            TrustId = policy.TrustId, Id = Guid.CreateVersion7(now), Major = major, Minor = minor,
            // The first version of a trust's policy is major whatever was asked: everyone must acknowledge it.
            Kind = last is null ? "major" : request.Kind,
            Status = "draft", Summary = request.Summary.Trim(), CreatedAt = now, CreatedBy = http.Principal().Subject,
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/policy/versions/{version.Id}", VersionResponse.From(version));
    }
}

public static class ListVersions
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/policy/versions", Handle).RequireAccess(ConfigurationAccess.TrustReaders, Scopes.PolicyRead).WithTags("Policy versions").WithName("ListVersions");

    /// <summary>The version history, newest first.</summary>
    public static async Task<Ok<IReadOnlyList<VersionResponse>>> Handle(PolicyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<VersionResponse>>((await db.PolicyVersions.AsNoTracking()
            .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).ToListAsync(cancellationToken)).Select(VersionResponse.From).ToList());
}

/// <summary>Record approval: who approved, the body they approved for (governing body, trustees) and when.</summary>
public static class ApproveVersion
{
    public sealed record Request(string ApproverName, string ApprovingBody, DateOnly ApprovedOn);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/policy/versions/{versionId:guid}/approve", Handle).RequireTrustWideAccess([Roles.TrustAdmin]).WithTags("Policy versions").WithName("ApproveVersion");

    public static async Task<Results<Ok<VersionResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid versionId, Request request, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var version = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("approverName", request.ApproverName).Required("approvingBody", request.ApprovingBody);
        if (request.ApprovedOn > DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddDays(1)))
        {
            errors.Add("approvedOn", "An approval cannot be dated in the future.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (version.Status != "draft")
        {
            return TypedResults.Problem(statusCode: 409, title: "Only a draft can be approved", detail: $"Version {version.Label} is {version.Status}.");
        }

        version.Status = "approved";
        version.ApprovedByName = request.ApproverName.Trim();
        version.ApprovedByBody = request.ApprovingBody.Trim();
        version.ApprovedOn = request.ApprovedOn;
        version.RowVersion++;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VersionResponse.From(version));
    }
}

/// <summary>Publish: emits PolicyPublished for every school. A major version must be approved first; conflicts block it.</summary>
public static class PublishVersion
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/policy/versions/{versionId:guid}/publish", Handle).RequireTrustWideAccess([Roles.TrustAdmin]).WithTags("Policy versions").WithName("PublishVersion");

    public static async Task<Results<Ok<VersionResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid versionId, PolicyDbContext db, TimeProvider time, TenantReadCache<JsonBytesResult<Effective.EffectivePolicyResponse>> cache, CancellationToken cancellationToken)
    {
        var version = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null)
        {
            return TypedResults.NotFound();
        }

        if (version.Status is not ("draft" or "approved"))
        {
            return TypedResults.Problem(statusCode: 409, title: "Already published", detail: $"Version {version.Label} is {version.Status}.");
        }

        if (version.Kind == "major" && version.Status != "approved")
        {
            return TypedResults.Problem(statusCode: 409, title: "Approval required", detail: $"Version {version.Label} is major: record its approval first.");
        }

        try
        {
            await PolicyPublication.PublishAsync(db, version, time.GetUtcNow(), cancellationToken);
        }
        catch (PolicyPublication.ConflictsException conflicts)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 409,
                Title = "School overrides conflict with the baseline",
                Detail = "Resolve each conflict (change the baseline, or clear or change the school's override) before publishing.",
                Extensions = { ["conflicts"] = conflicts.Conflicts },
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate(version.TrustId);
        return TypedResults.Ok(VersionResponse.From(version));
    }
}
