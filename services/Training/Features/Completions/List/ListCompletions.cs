using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Domain.People;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Completions.List;

public sealed class ListCompletionsQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    public Guid PersonId { get; init; }
}

public sealed class ListCompletionsValidator : PageQueryValidator<ListCompletionsQuery>;

public sealed class ListCompletions(TrainingDbContext db) : PlatformEndpoint<ListCompletionsQuery, Results<Ok<Page<CompletionResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/people/{personId:guid}/completions");
        Allow(RoleSets.AnyoneInSchool, Scope.ComplianceRead, Scope.TrainingWrite);
        Document("Completions", "List a person's completed courses",
            "Oldest first, cursor-paginated, with each completion's expiry. For the school's leaders and DSL, a key with compliance:read or " +
            "training:write, or the person themself; anyone else gets a 404.");
    }

    public override async Task<Results<Ok<Page<CompletionResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListCompletionsQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (!PersonVisibility.CanSee(Caller, page.SchoolId, page.PersonId) ||
            !await db.People.AnyAsync(p => p.Id == page.PersonId && p.SchoolId == page.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var query = db.Completions.AsNoTracking().Where(c => c.SchoolId == page.SchoolId && c.PersonId == page.PersonId);
        var rows = await query.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, CompletionResponse.From));
    }
}
