using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Posts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Posts.Get;

public sealed record GetPostQuery(Guid Id);

public sealed class GetPost(AccountsDbContext db) : PlatformEndpoint<GetPostQuery, Results<Ok<PostResponse>, NotFound>>
{
    private const string Title = "Read a post";

    private const string About =
        "A draft post with its decision: the submitted text and, once approved, the final text, the tone the approver confirmed, who " +
        "decided, when and why. The register's managers and the school's post approvers (accounts.who_may_post) see the school's posts, " +
        "staff the posts they submitted, an API key with accounts:read the posts of the schools it covers; any other is a 404.";

    public override void Configure()
    {
        Get("/v1/posts/{id:guid}");
        Allow(RoleSets.AnyoneInSchool, Scope.AccountsRead);
        Document("Posts", Title, About);
        Summary(s => s.ResponseExamples[200] = ContractExample.Of(PostExamples.Approved));
    }

    public override async Task<Results<Ok<PostResponse>, NotFound>> ExecuteAsync(GetPostQuery query, CancellationToken ct)
    {
        var approverSchools = await PostApprovers.SchoolsAsync(db, Caller, ct);
        var post = await db.Posts.AsNoTracking().Visible(Caller, approverSchools).SingleOrDefaultAsync(p => p.Id == query.Id, ct);
        if (post is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(HttpContext.Response, post.Version);
        return TypedResults.Ok(PostResponse.From(post));
    }
}
