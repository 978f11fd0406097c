using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Applications;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Applications.List;

public sealed class ListApplicationsQuery : PageQuery
{
    /// <summary>Only this school's applications.</summary>
    [QueryParam]
    public Guid? SchoolId { get; init; }

    /// <summary><c>pending</c>, <c>approved</c> or <c>rejected</c>.</summary>
    [QueryParam]
    public string? Status { get; init; }

    /// <summary>Only applications for this platform (e.g. <c>instagram</c>).</summary>
    [QueryParam]
    public string? Platform { get; init; }
}

public sealed class ListApplications(AccountsDbContext db)
    : PlatformEndpoint<ListApplicationsQuery, Results<Ok<Page<ApplicationResponse>>, ProblemHttpResult>>
{
    private const string Title = "List the applications the caller may see";

    private const string About =
        "The register's managers see their schools' applications, anyone else only their own; oldest first, filterable by " +
        "school, status and platform, cursor-paginated.";

    public override void Configure()
    {
        Get("/v1/applications");
        Allow(RoleSets.AccountApplicants);
        Document("Applications", Title, About);
    }

    public override async Task<Results<Ok<Page<ApplicationResponse>>, ProblemHttpResult>> ExecuteAsync(ListApplicationsQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var rows = db.Applications.AsNoTracking().Visible(Caller);
        if (query.SchoolId is { } school)
        {
            rows = rows.Where(a => a.SchoolId == school);
        }

        if (query.Status is not null && Filters.TryParse<ApplicationStatus>(query.Status, out var status))
        {
            rows = rows.Where(a => a.Status == status);
        }

        if (query.Platform is { } platform)
        {
            rows = rows.Where(a => a.Platform == platform);
        }

        var page = await rows.TakePageAsync(after, size, ct);
        var ids = page.Select(r => r.Id).ToArray();
        var decisions = (await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.ApplicationId)).ToListAsync(ct)).ToLookup(d => d.ApplicationId);
        return TypedResults.Ok(Paging.Build(page, size, a => ApplicationResponse.From(a, decisions[a.Id])));
    }
}

public sealed class ListApplicationsValidator : PageQueryValidator<ListApplicationsQuery>
{
    public ListApplicationsValidator()
    {
        RuleFor(x => x.Status).MaximumLength(20)
            .Must(status => status is null || Filters.TryParse<ApplicationStatus>(status, out _)).WithMessage("One of pending, approved, rejected.");
        RuleFor(x => x.Platform).MaximumLength(30);
    }
}
