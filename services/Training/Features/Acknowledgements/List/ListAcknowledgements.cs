using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Acknowledgements.List;

/// <summary>GET /v1/schools/{schoolId}/people/{personId}/acknowledgements: readers of the school, or the person themself.</summary>
public static class ListAcknowledgements
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements", Handle)
            .RequireAccess(TrainingAccess.Everyone, Scopes.ComplianceRead)
            .WithTags("Acknowledgements")
            .WithName("ListAcknowledgements");

    public static async Task<Results<Ok<Page<AcknowledgementResponse>>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, Guid personId, HttpContext http, TrainingDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadGuid(limit, cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (await TrainingAccess.PersonScopeAsync(http, db, schoolId, personId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var query = db.Acknowledgements.AsNoTracking().Where(a => a.SchoolId == schoolId && a.PersonId == personId);
        if (after is { } afterId)
        {
            query = query.Where(a => a.Id.CompareTo(afterId) > 0);
        }

        var rows = await query.OrderBy(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.Build(rows, size, a => a.Id.ToString(), AcknowledgementResponse.From));
    }
}
