using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Versions.Draft;

/// <param name="Kind">major (re-approval; staff acknowledge again) or minor (metadata, typos). A trust's first version is major whatever is asked.</param>
/// <param name="Summary">The summary of changes the document's version history shows.</param>
public sealed record DraftVersionRequest(VersionKind Kind, string Summary);

public sealed class DraftVersionCommand
{
    [FromBody]
    public DraftVersionRequest Body { get; init; } = null!;
}

/// <summary>The trust drafts the next version of its policy; the settings it publishes are those in force when it is published.</summary>
public sealed class DraftVersion(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<DraftVersionCommand, Results<Created<VersionResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/policy/versions");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy versions", "Draft the next version of the trust's policy",
            "A major version (1.0 -> 2.0) must be approved before it is published and staff acknowledge it again; a minor one (1.0 -> 1.1) is for " +
            "metadata and typos. The first version is 1.0 and major whatever is asked. While a draft or an approved version is open, another draft is a 409. " +
            "With an Idempotency-Key, a retry returns the draft created the first time; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per version to draft: a retry with it returns the draft created the first time.");
        Summary(s =>
        {
            s.ExampleRequest = VersionExamples.DraftRequest;
            s.ResponseExamples[201] = VersionExamples.Draft;
        });
    }

    public override async Task<Results<Created<VersionResponse>, ProblemHttpResult>> ExecuteAsync(DraftVersionCommand command, CancellationToken ct)
    {
        if (await db.PolicyVersions.Where(v => v.Status == VersionStatus.Draft || v.Status == VersionStatus.Approved).Select(v => (VersionStatus?)v.Status)
                .FirstOrDefaultAsync(ct) is { } open)
        {
            return ApiProblem.WrongState("A version is already open", VersionRules.Name(open), "Publish the open version before drafting another.");
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, ct);
        var last = await db.PolicyVersions.Where(v => v.Status == VersionStatus.Published || v.Status == VersionStatus.Superseded)
            .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).FirstOrDefaultAsync(ct);
        var (major, minor, kind) = VersionRules.Next(last, command.Body.Kind);
        var version = new PolicyVersion
        {
            TrustId = policy.TrustId, Id = Guid.CreateVersion7(now), Major = major, Minor = minor, Kind = kind,
            Status = VersionStatus.Draft, Summary = command.Body.Summary.Trim(), CreatedAt = now, CreatedBy = Caller.Subject,
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/policy/versions/{version.Id}", VersionResponse.From(version));
    }
}

public sealed class DraftVersionValidator : Validator<DraftVersionCommand>
{
    public DraftVersionValidator()
    {
        RuleFor(x => x.Body).SetValidator(new DraftVersionRequestRules());
    }
}

public sealed class DraftVersionRequestRules : AbstractValidator<DraftVersionRequest>
{
    public DraftVersionRequestRules()
    {
        RuleFor(x => x.Kind).IsInEnum().WithMessage("Must be major or minor.");
        RuleFor(x => x.Summary).NotEmpty().WithMessage("Required.").MaximumLength(1000);
    }
}
