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

namespace Trust.Platform.Accounts.Features.Posts.Submit;

/// <summary>A draft post for an official account.</summary>
/// <param name="Text">What to publish, at most 2,200 characters (Instagram's caption limit).</param>
/// <param name="Category">One of the school's posts.allowed_categories (GET account-policy lists them; 002 l.145-148).</param>
/// <param name="PublishAt">When it is meant to go out; not in the past.</param>
/// <param name="MediaDescription">What a photo or video with it shows (never the file: 002 l.174 and 003's use of images apply to it).</param>
public sealed record SubmitPostRequest(string Text, string Category, DateTimeOffset PublishAt, string? MediaDescription = null);

public sealed class SubmitPostCommand
{
    /// <summary>The account the post is for.</summary>
    public Guid Id { get; init; }

    [FromBody]
    public SubmitPostRequest Body { get; init; } = null!;
}

public sealed class SubmitPost(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<SubmitPostCommand, Results<Created<PostResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Submit a draft post for approval";

    private const string About =
        "A member of the school's staff submits a draft post for one of the school's official accounts that is not closed (002 l.143: " +
        "\"Staff will get content approved by the marketing officer before it is posted\"). The category must be one of the school's " +
        "posts.allowed_categories (422, rule posts.allowed_categories); the post records the roles that may approve it (accounts.who_may_post) " +
        "and the tone its approver confirms (posts.tone_keywords) as the policy names them now. A publish time in the past is a 400 on " +
        "publishAt; a closed account a 409; an account of a school the caller is not on the staff of a 404. It announces PostSubmitted. " +
        "With an Idempotency-Key, a retry returns the post created the first time; the same key with another body is a 422.";

    public override void Configure()
    {
        Post("/v1/accounts/{id:guid}/posts");
        Allow(RoleSets.SchoolStaff);
        Document("Posts", Title, About);
        Problems(409, 422);
        Idempotent("Send one per draft post: a retry with it returns the post submitted the first time.");
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(new SubmitPostRequest(PostExamples.Text, "achievements", PostExamples.Pending.PublishAt,
                PostExamples.Pending.MediaDescription));
            s.ResponseExamples[201] = ContractExample.Of(PostExamples.Pending);
        });
    }

    public override async Task<Results<Created<PostResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(SubmitPostCommand command, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == command.Id, ct);
        if (account is null || !Caller.CanActForSchool(account.SchoolId, [.. RoleSets.SchoolStaff]))
        {
            return TypedResults.NotFound();
        }

        if (account.Status == AccountStatus.Closed)
        {
            return ApiProblem.WrongState("The account is closed", ApiNames.Of(account.Status), "Posts are submitted for open accounts only.");
        }

        var request = command.Body;
        var now = time.GetUtcNow();
        if (request.PublishAt < now)
        {
            return ApiProblem.Invalid("publishAt", "The publish time has passed: give a time still to come.");
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, account.SchoolId, ct);
        if (PostRules.AllowedCategory(request.Category, policy.PostCategories) is not { } category)
        {
            return ApiProblem.RuleRefused(PostRules.CategoryRule, "The category is not one the school's policy allows",
                new FieldErrors().Add("category", $"One of: {string.Join("; ", policy.PostCategories)} (rule: {PostRules.CategoryRule}, policy version {policy.Version}; 002 l.145-148)."));
        }

        var post = NewPost(account, request, category, policy, now);
        db.Posts.Add(post);
        db.AddEvent(new PostSubmitted(Guid.CreateVersion7(now), post.TrustId, post.SchoolId, now, post.Id, post.AccountId, post.Category, post.PublishAt, post.ApproverRoles),
            post.Id.ToString(), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/posts/{post.Id}", PostResponse.From(post));
    }

    private Post NewPost(Account account, SubmitPostRequest request, string category, EffectiveAccountPolicy policy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TrustId = account.TrustId,
        SchoolId = account.SchoolId,
        AccountId = account.Id,
        SubmittedBy = Caller.Subject,
        SubmittedByName = Caller.DisplayName,
        SubmittedByStaffId = Caller.StaffId,
        Text = request.Text.Trim(),
        Category = category,
        PublishAt = request.PublishAt,
        MediaDescription = string.IsNullOrWhiteSpace(request.MediaDescription) ? null : request.MediaDescription.Trim(),
        ApproverRoles = [.. policy.WhoMayPost],
        ToneKeywords = [.. policy.ToneKeywords],
        PolicyVersion = policy.Version,
        Status = PostStatus.Pending,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

public sealed class SubmitPostRequestRules : AbstractValidator<SubmitPostRequest>
{
    public SubmitPostRequestRules()
    {
        RuleFor(x => x.Text).NotEmpty().WithMessage("Required: the text of the post.")
            .MaximumLength(PostRules.MaxTextLength).WithMessage($"At most {PostRules.MaxTextLength} characters (Instagram's caption limit).");
        RuleFor(x => x.Category).NotEmpty().WithMessage("Required: one of the school's allowed categories (GET account-policy).").MaximumLength(200);
        RuleFor(x => x.PublishAt).NotEmpty().WithMessage("Required: when the post is meant to go out.");
        RuleFor(x => x.MediaDescription).MaximumLength(1000);
    }
}

public sealed class SubmitPostValidator : Validator<SubmitPostCommand>
{
    public SubmitPostValidator() => RuleFor(x => x.Body).SetValidator(new SubmitPostRequestRules());
}
