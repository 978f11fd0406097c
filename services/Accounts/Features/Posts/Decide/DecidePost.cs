using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Posts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Features.Posts.Decide;

/// <summary>An approver's decision on a post.</summary>
/// <param name="Reason">Why; required to reject (the member of staff learns what to change).</param>
/// <param name="FinalText">On approval, the text to publish when the approver edited it; omitted, the submitted text is approved as it is.</param>
/// <param name="ToneConfirmed">On approval, each of the post's tone keywords the approver confirms it keeps (all are required; 002 l.150-157).</param>
public sealed record PostDecisionRequest(DecisionOutcome Outcome, string? Reason = null, string? FinalText = null, IReadOnlyList<string>? ToneConfirmed = null);

public sealed class DecidePostCommand
{
    public Guid Id { get; init; }

    [FromBody]
    public PostDecisionRequest Body { get; init; } = null!;
}

public sealed partial class DecidePost(AccountsDbContext db, TimeProvider time, ILogger<DecidePost> logger)
    : PlatformEndpoint<DecidePostCommand, Results<Ok<PostResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Approve or reject a post";

    private const string About =
        "A holder of a role the school's accounts.who_may_post names (002 l.143: the marketing officer) approves or rejects a pending post " +
        "(403, rule accounts.who_may_post, for anyone else of the school; 403, rule posts.no_self_approval, for whoever submitted it). " +
        "A rejection needs a reason. An approval confirms each of the post's tone keywords in toneConfirmed (422, rule posts.tone_keywords, " +
        "naming those missing): whether words are neutral, appropriate or friendly is the approver's judgement, not a word filter's. An " +
        "approval of a category the school's policy no longer allows is a 422 (rule posts.allowed_categories). An approval may carry the " +
        "final text; both texts are kept. The decision, the decider and the time are recorded; a post is decided once (409 after). It " +
        "announces PostDecided. A post of a school the caller holds no role at is a 404.";

    public override void Configure()
    {
        Post("/v1/posts/{id:guid}/decision");
        Allow(RoleSets.AnyoneInSchool);
        Document("Posts", Title, About);
        Problems(409, 422);
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(new PostDecisionRequest(DecisionOutcome.Approve, null, PostExamples.Approved.FinalText,
                PostExamples.Pending.ToneKeywords));
            s.ResponseExamples[200] = ContractExample.Of(PostExamples.Approved);
        });
    }

    public override async Task<Results<Ok<PostResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(DecidePostCommand command, CancellationToken ct)
    {
        var post = await db.Posts.SingleOrDefaultAsync(p => p.Id == command.Id, ct);
        // Anyone holding a school role there may be named by who_may_post; everyone else must not learn the post exists.
        if (post is null || !Caller.CanActForSchool(post.SchoolId, [.. RoleSets.AnyoneInSchool]))
        {
            return TypedResults.NotFound();
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, post.SchoolId, ct);
        var request = command.Body;
        var decider = new PostDecider(Caller.Subject, Caller.StaffId, Caller.DisplayName, PostApprovers.MayApprove(Caller, post.SchoolId, policy));
        var verdict = new PostVerdict(request.Outcome == DecisionOutcome.Approve, request.Reason, request.FinalText, request.ToneConfirmed ?? []);
        var outcome = PostRules.Decide(post, decider, verdict, policy.PostCategories);
        if (Refusal(outcome, policy) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        PostRules.Apply(post, outcome, decider, verdict, now);
        db.AddEvent(new PostDecided(Guid.CreateVersion7(now), post.TrustId, post.SchoolId, now, post.Id, post.AccountId, ApiNames.Of(post.Status),
            PostRules.Edited(post), post.PublishAt), post.Id.ToString(), now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another approver decided it between this read and this write: theirs stands.
            return ApiProblem.Conflict("The post was decided meanwhile", "Read it again to see the decision.");
        }

        Log.Decided(logger, post.TrustId, post.SchoolId, post.Id, ApiNames.Of(post.Status));
        return TypedResults.Ok(PostResponse.From(post));
    }

    /// <summary>The problem for an outcome that refuses the decision; null when it may be recorded.</summary>
    private static ProblemHttpResult? Refusal(PostDecideOutcome outcome, EffectiveAccountPolicy policy) => outcome switch
    {
        PostDecideOutcome.AlreadyDecided decided => ApiProblem.WrongState("The post is already decided", ApiNames.Of(decided.Status),
            $"It was {ApiNames.Of(decided.Status)}; a post is decided once."),
        PostDecideOutcome.SelfApproval => ApiProblem.Forbidden(PostRules.NoSelfApprovalRule, "You cannot decide your own post",
            "Another holder of a role the school's accounts.who_may_post names must decide it."),
        PostDecideOutcome.NotAnApprover => ApiProblem.Forbidden(PostRules.ApproverRule, "You do not approve posts at this school",
            $"Posts are approved by: {string.Join(", ", policy.WhoMayPost)} (rule: {PostRules.ApproverRule}, policy version {policy.Version})."),
        PostDecideOutcome.CategoryNotAllowed c => ApiProblem.RuleRefused(PostRules.CategoryRule, "The post's category is no longer allowed",
            new FieldErrors().Add("category", $"'{c.Category}' is not one of: {string.Join("; ", policy.PostCategories)} (rule: {PostRules.CategoryRule}, policy version {policy.Version}). Reject it with a reason so it can be resubmitted.")),
        PostDecideOutcome.ToneUnconfirmed t => ApiProblem.RuleRefused(PostRules.ToneRule, "Confirm the tone of the post",
            new FieldErrors().Add("toneConfirmed", $"Confirm the post keeps each of: {string.Join(", ", t.Missing)} (rule: {PostRules.ToneRule}; 002 l.150-157), or reject it with a reason.")),
        _ => null,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Post {PostId} of school {SchoolId} in trust {TrustId}: {Outcome}")]
        public static partial void Decided(ILogger logger, Guid trustId, Guid schoolId, Guid postId, string outcome);
    }
}

public sealed class PostDecisionRequestRules : AbstractValidator<PostDecisionRequest>
{
    public PostDecisionRequestRules()
    {
        RuleFor(x => x.Outcome).IsInEnum();
        RuleFor(x => x.Reason).MaximumLength(2000);
        RuleFor(x => x.Reason).NotEmpty().When(x => x.Outcome == DecisionOutcome.Reject).WithMessage("Say why the post is rejected, so it can be put right.");
        RuleFor(x => x.FinalText).MaximumLength(PostRules.MaxTextLength).WithMessage($"At most {PostRules.MaxTextLength} characters (Instagram's caption limit).");
        RuleFor(x => x.FinalText).Must(string.IsNullOrWhiteSpace).When(x => x.Outcome == DecisionOutcome.Reject)
            .WithMessage("A rejected post has no final text: give the reason instead.");
        RuleFor(x => x.ToneConfirmed).Must(l => l is null || l.Count <= 50).WithMessage("At most 50 tone keywords.");
        RuleForEach(x => x.ToneConfirmed).NotEmpty().MaximumLength(200);
    }
}

public sealed class DecidePostValidator : Validator<DecidePostCommand>
{
    public DecidePostValidator() => RuleFor(x => x.Body).SetValidator(new PostDecisionRequestRules());
}
