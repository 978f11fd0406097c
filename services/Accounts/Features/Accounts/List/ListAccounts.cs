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

public sealed class ListAccounts(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<ListAccountsQuery, Results<Ok<Page<AccountResponse>>, ContentHttpResult, ProblemHttpResult>>
{
    /// <summary>Who may export the register: the headteacher (their schools), the trust's admin (every school) and an API key with accounts:read.</summary>
    public const string ExportRule = "accounts.register_export";

    private const string Title = "List the register";

    private const string About =
        "The official accounts the caller may see (as for one account), oldest first, filterable by school, status (an account " +
        "below the policy's minimum of administrators is at_risk), platform and reviewDue (true: open accounts whose review date is within " +
        "two weeks of the school's today or has passed, the ones AccountReviewDue reminds about), cursor-paginated. With `Accept: text/csv` " +
        "the register export instead: every matching account (not a page) with its school, platform, handle, URL, status, the business " +
        "case's purpose, each approval (role, name, date), the administrators (names, social media policy training current: yes/no), the " +
        "credential custodian, the last rotation and the review date; never a credential nor its vault reference. The export is for the " +
        "headteacher (their schools' register), the trust's admin (the trust's, all schools; schoolId for one) and an API key with " +
        "accounts:read (its schools); anyone else is a 403 (rule accounts.register_export).";

    public override void Configure()
    {
        Get("/v1/accounts");
        Allow(RoleSets.AccountApplicants, Scope.AccountsRead);
        Document("Accounts", Title, About);
        AlsoAnswers(StatusCodes.Status200OK, RegisterCsv.MediaType, "The register export (Accept: text/csv): CSV (RFC 4180) with a header row: " +
            string.Join(",", RegisterCsv.Columns) + ".", RegisterCsv.MaxLength);
    }

    public override async Task<Results<Ok<Page<AccountResponse>>, ContentHttpResult, ProblemHttpResult>> ExecuteAsync(ListAccountsQuery query, CancellationToken ct)
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

        if (Negotiation.Prefers(HttpContext.Request.Headers.Accept, RegisterCsv.MediaType, "application/json"))
        {
            return await ExportAsync(rows, ct);
        }

        var page = await rows.TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(page, size, AccountResponse.From));
    }

    /// <summary>The register export: for the school leaders and API keys only, of the schools they lead (an administrator's own accounts are not a register).</summary>
    private async Task<Results<Ok<Page<AccountResponse>>, ContentHttpResult, ProblemHttpResult>> ExportAsync(IQueryable<Account> rows, CancellationToken ct)
    {
        if (!Caller.IsApiKey && !Caller.HasAnyRole(RoleSets.SchoolLeaders))
        {
            return ApiProblem.Forbidden(ExportRule, "Only school leaders export the register",
                "The register export is for the headteacher, the trust's admin and API keys with accounts:read; the JSON list stays open to you.");
        }

        if (!Caller.IsApiKey && Caller.SchoolsFor([.. RoleSets.SchoolLeaders]) is { } led)
        {
            var schools = led.ToArray();
            rows = rows.Where(a => schools.Contains(a.SchoolId));
        }

        var body = await RegisterCsv.WriteAsync(db, rows, time, ct);
        HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"account-register-{time.GetUtcNow():yyyy-MM-dd}.csv\"";
        HttpContext.Response.Headers.Vary = "Accept";
        return TypedResults.Text(body, RegisterCsv.MediaType + "; header=present; charset=utf-8");
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
