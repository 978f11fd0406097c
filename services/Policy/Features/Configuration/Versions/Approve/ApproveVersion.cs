using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Versions.Approve;

/// <param name="ApproverName">Who approved it (the chair of the Board of Trustees, of the governing body).</param>
/// <param name="ApprovingBody">The body they approved it for; the document's control block shows it.</param>
/// <param name="ApprovedOn">The date of the approving meeting; not in the future.</param>
public sealed record ApproveVersionRequest(string ApproverName, string ApprovingBody, DateOnly ApprovedOn) : IApprovalRequest;

public sealed class ApproveVersionCommand
{
    public Guid VersionId { get; init; }

    [FromBody]
    public ApproveVersionRequest Body { get; init; } = null!;
}

/// <summary>Records the approval of a draft: who approved, the body they approved for and when.</summary>
public sealed class ApproveVersion(PolicyDbContext db) : PlatformEndpoint<ApproveVersionCommand, Results<Ok<VersionResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/policy/versions/{versionId:guid}/approve");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy versions", "Record the approval of a draft version",
            "Who approved the draft, the body they approved it for and the date (002: approved by the Board of Trustees). Only a draft is approved: " +
            "an approved, published or superseded version is a 409 with its `state`.");
        Problems(409);
        Summary(s =>
        {
            s.ExampleRequest = VersionExamples.ApproveRequest;
            s.ResponseExamples[200] = VersionExamples.Approved;
        });
    }

    public override async Task<Results<Ok<VersionResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(ApproveVersionCommand command, CancellationToken ct)
    {
        var version = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == command.VersionId, ct);
        if (version is null)
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        if (VersionRules.Approve(version, request.ApproverName, request.ApprovingBody, request.ApprovedOn) == ApproveOutcome.NotADraft)
        {
            return ApiProblem.WrongState("Only a draft can be approved", VersionRules.Name(version.Status), $"Version {version.Label} is {VersionRules.Name(version.Status)}.");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(VersionResponse.From(version));
    }
}

public sealed class ApproveVersionValidator : Validator<ApproveVersionCommand>
{
    public ApproveVersionValidator() =>
        RuleFor(x => x.Body).SetValidator(new ApprovalRequestRules(() => Resolve<TimeProvider>().GetUtcNow()));
}
