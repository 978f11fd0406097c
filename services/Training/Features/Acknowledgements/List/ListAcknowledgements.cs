using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Domain.People;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Acknowledgements.List;

public sealed class ListAcknowledgementsQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    public Guid PersonId { get; init; }
}

public sealed class ListAcknowledgementsValidator : PageQueryValidator<ListAcknowledgementsQuery>;

public sealed class ListAcknowledgements(TrainingDbContext db) : PlatformEndpoint<ListAcknowledgementsQuery, Results<Ok<Page<AcknowledgementResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements");
        Allow(RoleSets.AnyoneInSchool, Scope.ComplianceRead);
        Document("Acknowledgements", "List a person's policy acknowledgements",
            "The published policy versions the person acknowledged, oldest first, cursor-paginated. For the school's leaders and DSL, a key with " +
            "compliance:read, or the person themself; anyone else gets a 404.");
    }

    public override async Task<Results<Ok<Page<AcknowledgementResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListAcknowledgementsQuery page, CancellationToken ct)
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

        var query = db.Acknowledgements.AsNoTracking().Where(c => c.SchoolId == page.SchoolId && c.PersonId == page.PersonId);
        var rows = await query.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, AcknowledgementResponse.From));
    }
}
