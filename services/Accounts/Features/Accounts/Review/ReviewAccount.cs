using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.Review;

/// <summary>The next review date and what the last evaluation found (000/003/004: "how success will be evaluated").</summary>
/// <param name="ReviewDate">The next review, on or after the school's today.</param>
/// <param name="EvaluationNotes">What the evaluation found; the last notes stay when omitted.</param>
public sealed record ReviewRequest(DateOnly ReviewDate, string? EvaluationNotes = null);

public sealed class ReviewAccountCommand
{
    public Guid Id { get; init; }

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public ReviewRequest Body { get; init; } = null!;
}

public sealed class ReviewAccount(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<ReviewAccountCommand, Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Record an account's review";

    private const string About =
        "Sets the next review date and the evaluation's notes (000/003/004: how success will be evaluated). An edit of the register " +
        "entry: send the ETag last read in If-Match (428 without it, 412 when stale). A review date before the school's today is " +
        "refused on reviewDate; a closed account is a 409; another school's account a 404.";

    public override void Configure()
    {
        Put("/v1/accounts/{id:guid}/review");
        Allow(RoleSets.AccountManagers);
        Document("Accounts", Title, About);
        Problems(409, 412, 428);
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(new ReviewRequest(new DateOnly(2027, 3, 31), "Well used by families; keep the weekly e-safety tips."));
        });
    }

    public override async Task<Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(ReviewAccountCommand command, CancellationToken ct)
    {
        var account = await db.Accounts.Managed(Caller).SingleOrDefaultAsync(a => a.Id == command.Id, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        if (request.ReviewDate < await SchoolDay.TodayAsync(db, time, account.SchoolId, ct))
        {
            return ApiProblem.Invalid("reviewDate", "The next review cannot be in the past.");
        }

        if (ETags.Check(command.IfMatch, account.Version) is { } precondition)
        {
            return precondition;
        }

        if (AccountTransitions.Review(account, request.ReviewDate, request.EvaluationNotes, time.GetUtcNow()) == AccountChange.AccountClosed)
        {
            return ApiProblem.WrongState("The account is closed", ApiNames.Of(account.Status));
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}

public sealed class ReviewRequestRules : AbstractValidator<ReviewRequest>
{
    public ReviewRequestRules() => RuleFor(x => x.EvaluationNotes).MaximumLength(8000);
}

public sealed class ReviewAccountValidator : Validator<ReviewAccountCommand>
{
    public ReviewAccountValidator() => RuleFor(x => x.Body).SetValidator(new ReviewRequestRules());
}
