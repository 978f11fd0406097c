using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Accounts.Features.Accounts.List;

public sealed class ListAccountsQuery : PageQuery
{
    /// <summary>Only this school's accounts.</summary>
    [QueryParam]
    public Guid? SchoolId { get; init; }

    /// <summary><c>live</c>, <c>at_risk</c> or <c>closed</c>.</summary>
    [QueryParam]
    public string? Status { get; init; }

    /// <summary>Only accounts on this platform (e.g. <c>instagram</c>).</summary>
    [QueryParam]
    public string? Platform { get; init; }

    /// <summary>
    /// <c>true</c>: only open accounts whose review date is within two weeks of the school's today or has passed (the ones
    /// AccountReviewDue reminds about); <c>false</c>: only the others.
    /// </summary>
    [QueryParam]
    public bool? ReviewDue { get; init; }
}

public sealed class ListAccounts(AccountsDbContext db, TimeProvider time) : PlatformEndpoint<ListAccountsQuery, Results<Ok<Page<AccountResponse>>, ProblemHttpResult>>
{
    private const string Title = "List the register";

    private const string About =
        "The official accounts the caller may see (as for one account), oldest first, filterable by school, status (an account " +
        "below the policy's minimum of administrators is at_risk), platform and reviewDue (true: open accounts whose review date is within " +
        "two weeks of the school's today or has passed, the ones AccountReviewDue reminds about), cursor-paginated.";

    public override void Configure()
    {
        Get("/v1/accounts");
        Allow(RoleSets.AccountApplicants, Scope.AccountsRead);
        Document("Accounts", Title, About);
    }

    public override async Task<Results<Ok<Page<AccountResponse>>, ProblemHttpResult>> ExecuteAsync(ListAccountsQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var rows = db.Accounts.AsNoTracking().Visible(Caller);
        if (query.SchoolId is { } school)
        {
            rows = rows.Where(a => a.SchoolId == school);
        }

        if (query.Status is not null && Filters.TryParse<AccountStatus>(query.Status, out var status))
        {
            rows = rows.Where(a => a.Status == status);
        }

        if (query.Platform is { } platform)
        {
            rows = rows.Where(a => a.Platform == platform);
        }

        if (query.ReviewDue is { } reviewDue)
        {
            // Each school's own today (Europe/London for most, but a trust's schools may sit in other zones).
            var zones = await db.Schools.AsNoTracking().Select(s => new { s.SchoolId, s.TimeZone }).ToListAsync(ct);
            rows = rows.DueForReview(zones.ToDictionary(z => z.SchoolId, z => time.TodayAt(z.TimeZone)), reviewDue);
        }

        var page = await rows.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(page, size, AccountResponse.From));
    }
}

public sealed class ListAccountsValidator : PageQueryValidator<ListAccountsQuery>
{
    public ListAccountsValidator()
    {
        RuleFor(x => x.Status).MaximumLength(20)
            .Must(status => status is null || Filters.TryParse<AccountStatus>(status, out _)).WithMessage("One of live, at_risk, closed.");
        RuleFor(x => x.Platform).MaximumLength(30);
    }
}
