using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.Review;

/// <summary>The next review date and what the last evaluation found (000/003/004: "how success will be evaluated").</summary>
public sealed record ReviewRequest(DateOnly ReviewDate, string? EvaluationNotes = null);

public static class ReviewAccount
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/accounts/{id:guid}/review", Handle)
            .RequireAccess(Access.Managers)
            .WithTags("Accounts")
            .WithName("ReviewAccount");

    /// <summary>An edit of the register entry: needs the ETag last read in If-Match (412 when stale).</summary>
    public static async Task<Results<Ok<AccountResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, ReviewRequest request, HttpContext http, AccountsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var account = await AccountLookup.ManagedAsync(db, http, id, cancellationToken);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Optional("evaluationNotes", request.EvaluationNotes, 8000);
        var now = time.GetUtcNow();
        if (request.ReviewDate < DateOnly.FromDateTime(now.UtcDateTime))
        {
            errors.Add("reviewDate", "The next review cannot be in the past.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (ETags.CheckIfMatch(http.Request, account.Version) is { } stale)
        {
            return (ProblemHttpResult)stale; // ETags answers 428/412 as problem details.
        }

        if (account.Status == AccountStatus.Closed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account is closed");
        }

        account.ReviewDate = request.ReviewDate;
        account.EvaluationNotes = string.IsNullOrWhiteSpace(request.EvaluationNotes) ? account.EvaluationNotes : request.EvaluationNotes.Trim();
        account.UpdatedAt = now;
        account.Version++;
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
