using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Features.Accounts.Close;

public sealed record CloseRequest(string Reason);

/// <summary>Closes an account, recording why and who (issue 4); AccountClosed tells the other services.</summary>
public static class CloseAccount
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/accounts/{id:guid}/close", Handle)
            .RequireAccess(Access.Managers)
            .WithTags("Accounts")
            .WithName("CloseAccount");

    public static async Task<Results<Ok<AccountResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, CloseRequest request, HttpContext http, AccountsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var account = await AccountLookup.ManagedAsync(db, http, id, cancellationToken);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("reason", request.Reason, 2000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (account.Status == AccountStatus.Closed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account is already closed");
        }

        var now = time.GetUtcNow();
        var principal = http.Principal();
        account.Status = AccountStatus.Closed;
        account.ClosedReason = request.Reason.Trim();
        account.ClosedBy = principal.Subject;
        account.ClosedAt = now;
        account.UpdatedAt = now;
        account.Version++;
        db.AddEvent(new AccountClosed(Guid.CreateVersion7(now), account.TrustId, account.SchoolId, now, account.Id, account.ClosedReason), account.Id.ToString(), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
