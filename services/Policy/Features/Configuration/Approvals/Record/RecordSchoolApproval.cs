using System.Globalization;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Domain.SchoolApprovals;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Approvals.Record;

/// <param name="ApprovingBody">The school's body that approved the version (000: Governing Body); the document's control block shows it.</param>
/// <param name="ApproverName">Who signed for it (the chair of governors).</param>
/// <param name="ApprovedOn">The date of the approving meeting; not in the future at the school.</param>
public sealed record RecordSchoolApprovalRequest(string ApprovingBody, string ApproverName, DateOnly ApprovedOn) : IApprovalRequest;

public sealed class RecordSchoolApprovalCommand
{
    public Guid SchoolId { get; init; }

    public Guid VersionId { get; init; }

    [FromBody]
    public RecordSchoolApprovalRequest Body { get; init; } = null!;
}

/// <summary>A school records its own approval of a published trust version, beside the trust's.</summary>
public sealed class RecordSchoolApproval(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<RecordSchoolApprovalCommand, Results<Created<SchoolApprovalResponse>, NotFound, ProblemHttpResult>>
{
    private const string ReviewCycleKey = "review.cycle_months";

    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/policy/versions/{versionId:guid}/approval");
        Allow(RoleSets.SchoolLeaders);
        Document("Policy approvals", "Record a school's own approval of a trust version",
            "The school's headteacher (or the trust's admins) records that the school's body approved a published version of the trust's policy: the body, " +
            "who signed and the date (000: \"Approved by Governing Body, 24.03.2026\"), shown in the school's document beside the trust's own approval. " +
            "The date may not be in the future at the school (400 on `approvedOn`). A draft or approved version is not yet the school's policy (409 with its " +
            "`state`). A school approves a version once: a second approval of the same version is a 409, never an overwrite, so the record stays as signed. " +
            "The next review date is the approval date plus the school's review cycle (000 line 203: two years, March 2028). Another trust's or school's " +
            "version is a 404.");
        Problems(409, 422);
        Idempotent("Send one per approval to record: a retry with it returns the approval recorded the first time.");
        Summary(s =>
        {
            s.ExampleRequest = ApprovalExamples.Request;
            s.ResponseExamples[201] = ApprovalExamples.Recorded;
        });
    }

    public override async Task<Results<Created<SchoolApprovalResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(RecordSchoolApprovalCommand command, CancellationToken ct)
    {
        var school = Caller.CanActForSchool(command.SchoolId, [.. RoleSets.SchoolLeaders])
            ? await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == command.SchoolId, ct)
            : null;
        var version = school is null ? null : await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == command.VersionId, ct);
        if (school is null || version is null)
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        if (request.ApprovedOn > time.TodayAt(school.TimeZone))
        {
            return ApiProblem.Invalid("approvedOn", "An approval cannot be dated after today at the school.");
        }

        var approved = await db.SchoolApprovals.AnyAsync(a => a.SchoolId == school.Id && a.VersionId == version.Id, ct);
        switch (SchoolApprovalRules.Check(version, approved))
        {
            case SchoolApprovalOutcome.NotPublished:
                return ApiProblem.WrongState("Only a published version can be approved by a school", VersionRules.Name(version.Status),
                    $"Version {version.Label} is {VersionRules.Name(version.Status)}.");
            case SchoolApprovalOutcome.AlreadyApproved:
                return ApiProblem.Conflict("Already approved", $"The school has already recorded its approval of version {version.Label}.");
        }

        var effective = await PolicyState.EffectiveAsync(db, school.Id, ct);
        // A trust that frees the setting may let a school leave it unset: the catalogue's default cycle then applies.
        var cycle = effective.Single(e => e.Key == ReviewCycleKey).Value?.GetValue<int>() ?? Convert.ToInt32(SettingCatalogue.ByKey[ReviewCycleKey].Default, CultureInfo.InvariantCulture);
        var approval = new SchoolApproval
        {
            TrustId = school.TrustId, SchoolId = school.Id, VersionId = version.Id, ApprovingBody = request.ApprovingBody.Trim(),
            ApproverName = request.ApproverName.Trim(), ApprovedOn = request.ApprovedOn, NextReviewOn = SchoolApprovalRules.NextReview(request.ApprovedOn, cycle),
            RecordedAt = time.GetUtcNow(), RecordedBy = Caller.Subject,
        };
        db.SchoolApprovals.Add(approval);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/schools/{school.Id}/policy/approvals", SchoolApprovalResponse.From(approval, version));
    }
}

public sealed class RecordSchoolApprovalValidator : Validator<RecordSchoolApprovalCommand>
{
    // The school's own day is checked by the handler; this refuses what is in the future anywhere (a day ahead of UTC).
    public RecordSchoolApprovalValidator() =>
        RuleFor(x => x.Body).SetValidator(new ApprovalRequestRules(() => Resolve<TimeProvider>().GetUtcNow()));
}
