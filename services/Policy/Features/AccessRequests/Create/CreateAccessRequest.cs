using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.AccessRequests;
using SiteFeed = Trust.Platform.Policy.Domain.BlockedContent.BlockedSites;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.AccessRequests.Create;

/// <param name="Site">The blocked site: a host name or a URL (its host is kept), e.g. <c>youtube.com</c>.</param>
/// <param name="Reason">Why access is needed (002 Appendix A: "Reasons for access").</param>
/// <param name="IntendedUse">The lesson or use (class, subject, activity).</param>
/// <param name="AllowedFrom">When access should start; may be now, at most 120 days ahead.</param>
/// <param name="AllowedUntil">When it lapses: after AllowedFrom, at most 42 days later, and after now.</param>
/// <param name="SiteContent">What the site holds (002 Appendix A: "Site content").</param>
/// <param name="FullUrl">The page needed, when one page is enough (002 Appendix A: "Full URL"); an http or https URL on the site. Optional: left out, the request is for the site.</param>
/// <param name="RisksAndControls">The risks the requester sees and how they will be controlled (002 Appendix A: "Identified risks and control measures").</param>
public sealed record CreateAccessRequestRequest(
    string Site, string Reason, string IntendedUse, DateTimeOffset AllowedFrom, DateTimeOffset AllowedUntil, string SiteContent, string? FullUrl = null,
    string? RisksAndControls = null);

public sealed class CreateAccessRequestCommand
{
    public Guid SchoolId { get; init; }

    [FromBody]
    public CreateAccessRequestRequest Body { get; init; } = null!;
}

/// <summary>A member of staff asks for a blocked site for a lesson or use, for a bounded period (002 Appendix A).</summary>
public sealed class CreateAccessRequest(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<CreateAccessRequestCommand, Results<Created<AccessRequestResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/blocked-sites/access-requests");
        Allow(RoleSets.SchoolStaff);
        Document("Blocked sites", "Request access to a blocked site",
            "A member of the school's staff asks for a site the school blocks (002 Appendix A, the blocked content access request form): the site, the " +
            "page if one is enough, the reason, the lesson or use, and the period. The period starts at most 120 days ahead and lasts at most 42 days " +
            "(half a term: a longer need is a new request), and must end after now. The request waits for the role the school's " +
            "`blocked_sites.access_approver` names (the headteacher by default, 002 l.245-247); an approval makes it an allowance in the school's " +
            "blocked-sites feed until it lapses. A site the school does not block is refused on `site` (there is nothing to allow). An API key cannot " +
            "request (a person's act). Another trust's or school's route is a 404.");
        Problems(409, 422);
        Idempotent("Send one per request to make: a retry with it returns the request created the first time.");
        Summary(s =>
        {
            s.ExampleRequest = AccessRequestExamples.Request;
            s.ResponseExamples[201] = ContractExample.Of(AccessRequestExamples.Approved with { Status = "pending", InForce = false, DecidedAt = null, DecidedBy = null, DecidedAs = null, DecisionReason = null });
        });
    }

    public override async Task<Results<Created<AccessRequestResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(CreateAccessRequestCommand command, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(command.SchoolId, [.. RoleSets.SchoolStaff]) || !await db.Schools.AnyAsync(s => s.Id == command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        var now = time.GetUtcNow();
        if (request.AllowedUntil <= now)
        {
            return ApiProblem.Invalid("allowedUntil", "The period has already ended: ask for one that ends after now.");
        }

        var site = SiteFeed.Normalise(request.Site)!;
        if (!await BlockedSites.SchoolFeed.BlocksAsync(db, command.SchoolId, site, ct))
        {
            return ApiProblem.Invalid("site", $"{site} is not on the school's blocked sites: there is nothing to allow.");
        }

        var entity = new BlockedContentRequest
        {
            TrustId = db.Tenant.TrustId!.Value, Id = Guid.CreateVersion7(now), SchoolId = command.SchoolId, Site = site, FullUrl = request.FullUrl?.Trim(),
            Reason = request.Reason.Trim(), SiteContent = request.SiteContent.Trim(), RisksAndControls = request.RisksAndControls?.Trim(), IntendedUse = request.IntendedUse.Trim(), AllowedFrom = request.AllowedFrom, AllowedUntil = request.AllowedUntil,
            Status = AccessRequestStatus.Pending, RequestedAt = now, RequestedBy = Caller.Subject,
        };
        db.BlockedContentRequests.Add(entity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/schools/{entity.SchoolId}/blocked-sites/access-requests/{entity.Id}", AccessRequestResponse.From(entity, now));
    }
}

public sealed class CreateAccessRequestValidator : Validator<CreateAccessRequestCommand>
{
    public CreateAccessRequestValidator()
    {
        RuleFor(x => x.Body).SetValidator(new CreateAccessRequestRules());
        RuleFor(x => x.Body.AllowedFrom)
            .Must(from => from <= Resolve<TimeProvider>().GetUtcNow() + AccessRequestRules.MaxLeadTime)
            .WithMessage("Access may start at most 120 days ahead: request nearer the time.");
    }
}

public sealed class CreateAccessRequestRules : AbstractValidator<CreateAccessRequestRequest>
{
    public CreateAccessRequestRules()
    {
        // Each condition gates its own check only: a When at the end of a chain gates every check before it (FluentValidation's
        // default), which let an empty site through the Required check and a URL that is not one through its format check.
        RuleFor(x => x.Site).NotEmpty().WithMessage("Required.").MaximumLength(SiteFeed.MaxDomainLength + 100)
            .Must(s => SiteFeed.Normalise(s) is not null).When(x => !string.IsNullOrWhiteSpace(x.Site), ApplyConditionTo.CurrentValidator)
            .WithMessage("A host name such as youtube.com, or a URL on it.");
        RuleFor(x => x.FullUrl).Cascade(CascadeMode.Stop).MaximumLength(2000)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .When(x => x.FullUrl is not null, ApplyConditionTo.CurrentValidator).WithMessage("An http or https URL.")
            .Must((x, u) => SiteFeed.Normalise(u) is { } host && SiteFeed.Normalise(x.Site) is { } site && (host == site || host.EndsWith("." + site, StringComparison.Ordinal)))
            .When(x => x.FullUrl is not null && !string.IsNullOrWhiteSpace(x.Site), ApplyConditionTo.CurrentValidator).WithMessage("A page on the site requested.");
        RuleFor(x => x.Reason).NotEmpty().WithMessage("Required.").MaximumLength(2000);
        RuleFor(x => x.IntendedUse).NotEmpty().WithMessage("Required.").MaximumLength(500);
        RuleFor(x => x.SiteContent).NotEmpty().WithMessage("Required.").MaximumLength(1000);
        RuleFor(x => x.RisksAndControls).MaximumLength(2000);
        RuleFor(x => x.AllowedUntil).GreaterThan(x => x.AllowedFrom).WithMessage("Must be after allowedFrom.")
            .Must((x, until) => until - x.AllowedFrom <= AccessRequestRules.MaxPeriod).WithMessage("A request covers at most 42 days: make a new one for longer.");
    }
}
