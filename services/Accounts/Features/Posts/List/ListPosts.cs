using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Posts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Posts.List;

public sealed class ListPostsQuery : PageQuery
{
    /// <summary>Only this school's posts.</summary>
    [QueryParam]
    public Guid? SchoolId { get; init; }

    /// <summary>Only the posts for this account.</summary>
    [QueryParam]
    public Guid? AccountId { get; init; }

    /// <summary><c>pending</c> (the approver's queue), <c>approved</c> or <c>rejected</c>.</summary>
    [QueryParam]
    public string? Status { get; init; }
}

public sealed class ListPosts(AccountsDbContext db) : PlatformEndpoint<ListPostsQuery, Results<Ok<Page<PostResponse>>, ProblemHttpResult>>
{
    private const string Title = "List posts";

    private const string About =
        "The posts the caller may see (as for one post), oldest first, filterable by school, account and status (status=pending is an " +
        "approver's queue), cursor-paginated.";

    public override void Configure()
    {
        Get("/v1/posts");
        Allow(RoleSets.AnyoneInSchool, Scope.AccountsRead);
        Document("Posts", Title, About);
    }

    public override async Task<Results<Ok<Page<PostResponse>>, ProblemHttpResult>> ExecuteAsync(ListPostsQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var rows = db.Posts.AsNoTracking().Visible(Caller, await PostApprovers.SchoolsAsync(db, Caller, ct));
        if (query.SchoolId is { } school)
        {
            rows = rows.Where(p => p.SchoolId == school);
        }

        if (query.AccountId is { } account)
        {
            rows = rows.Where(p => p.AccountId == account);
        }

        if (query.Status is not null && Filters.TryParse<PostStatus>(query.Status, out var status))
        {
            rows = rows.Where(p => p.Status == status);
        }

        var page = await rows.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(page, size, PostResponse.From));
    }
}

public sealed class ListPostsValidator : PageQueryValidator<ListPostsQuery>
{
    public ListPostsValidator()
    {
        RuleFor(x => x.Status).MaximumLength(20)
            .Must(status => status is null || Filters.TryParse<PostStatus>(status, out _)).WithMessage("One of pending, approved, rejected.");
    }
}
