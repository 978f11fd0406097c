using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Domain.SchoolPolicies;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Sections;

/// <param name="Markdown">The school's own text for the section (its heading stays the trust's), or at an additions point the school's own sections with their headings. Raw HTML and links other than http, https and mailto stay literal in the document.</param>
public sealed record AmendSectionRequest(string Markdown);

/// <summary>A school's own text of a section, and the school policy's version after the change (its new ETag).</summary>
/// <param name="NeedsReview">Set when a major version is published after the text was written: the school should look at it again.</param>
public sealed record SectionAmendmentResponse(string SectionId, string Markdown, bool NeedsReview, int Version);

public sealed class AmendSectionCommand
{
    public Guid SchoolId { get; init; }

    /// <summary>The section's id in the school's template (GET /v1/policy/templates/{key}), e.g. <c>legal-considerations</c>.</summary>
    public string SectionId { get; init; } = "";

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public AmendSectionRequest Body { get; init; } = null!;
}

/// <summary>A school writes its own text for a section the trust marks amendable, or adds sections of its own at an additions point.</summary>
public sealed class AmendSection(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<AmendSectionCommand, Results<Ok<SectionAmendmentResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/schools/{schoolId:guid}/policy/sections/{sectionId}");
        Allow(RoleSets.SchoolLeaders);
        Document("Policy documents", "Write a school's own text for a section",
            "For a section the school's template marks amendable the text replaces the section's body; at an additions point it is the school's own " +
            "sections, added to the trust's (never replacing them). Any other section is a 422 with the rule `locked`, and a section the template does not " +
            "have is a 404. Send the school policy's ETag (the one GET .../policy/overrides gives) in If-Match: 428 without, 412 when old.");
        Problems(412, 422, 428);
    }

    public override async Task<Results<Ok<SectionAmendmentResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(AmendSectionCommand command, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(command.SchoolId, [.. RoleSets.SchoolLeaders]) || !await db.Schools.AnyAsync(s => s.Id == command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureSchoolPolicyAsync(db, command.SchoolId, now, ct);
        if (ETags.Check(command.IfMatch, db.Entry(policy).State == EntityState.Added ? 0 : policy.Version) is { } precondition)
        {
            return precondition;
        }

        var template = await SchoolDocuments.TemplateForAsync(db, command.SchoolId, ct);
        switch (SectionRules.MayAmend(template, command.SectionId))
        {
            case SectionAmendOutcome.NoSuchSection:
                return TypedResults.NotFound();
            case SectionAmendOutcome.Locked:
                return ApiProblem.RuleRefused(SectionRules.LockedRule, "The trust's rule does not allow this change",
                    new FieldErrors().Add("sectionId", "The trust does not let schools amend this section."),
                    new Dictionary<string, object?> { ["setting"] = $"section:{command.SectionId}" });
        }

        var amendment = await db.SectionAmendments.SingleOrDefaultAsync(a => a.SchoolId == command.SchoolId && a.SectionId == command.SectionId, ct);
        if (amendment is null)
        {
            amendment = new SectionAmendment { TrustId = policy.TrustId, SchoolId = command.SchoolId, SectionId = command.SectionId };
            db.SectionAmendments.Add(amendment);
        }

        amendment.Markdown = command.Body.Markdown.Trim();
        amendment.NeedsReview = false;
        amendment.UpdatedAt = now;
        amendment.UpdatedBy = Caller.Subject;
        policy.Version++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, policy.Version);
        return TypedResults.Ok(new SectionAmendmentResponse(command.SectionId, amendment.Markdown, false, policy.Version));
    }
}

public sealed class AmendSectionValidator : Validator<AmendSectionCommand>
{
    public AmendSectionValidator()
    {
        RuleFor(x => x.SectionId).NotEmpty().MaximumLength(100);
        RuleFor(x => x.IfMatch).MaximumLength(100);
        RuleFor(x => x.Body).SetValidator(new AmendSectionRequestRules());
    }
}

public sealed class AmendSectionRequestRules : AbstractValidator<AmendSectionRequest>
{
    public AmendSectionRequestRules() => RuleFor(x => x.Markdown).NotEmpty().WithMessage("Required.").MaximumLength(50_000);
}
