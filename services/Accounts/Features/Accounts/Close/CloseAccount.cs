using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Features.Accounts.Close;

/// <param name="Reason">Why the account closes (kept on the register entry and sent with AccountClosed).</param>
public sealed record CloseRequest(string Reason);

public sealed class CloseAccountCommand
{
    public Guid Id { get; init; }

    [FromBody]
    public CloseRequest Body { get; init; } = null!;
}

/// <summary>Closes an account, recording why and who; AccountClosed tells the other services.</summary>
public sealed class CloseAccount(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<CloseAccountCommand, Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Close an account";

    private const string About =
        "The register's managers close an account with a reason; who closed it and when are recorded, and AccountClosed tells the " +
        "other services. A closed account is a 409. Another school's or trust's account is a 404.";

    public override void Configure()
    {
        Post("/v1/accounts/{id:guid}/close");
        Allow(RoleSets.AccountManagers);
        Document("Accounts", Title, About);
        Problems(409);
    }

    public override async Task<Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(CloseAccountCommand command, CancellationToken ct)
    {
        var account = await db.Accounts.Managed(Caller).SingleOrDefaultAsync(a => a.Id == command.Id, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        if (AccountTransitions.Close(account, command.Body.Reason, Caller.Subject, now) == AccountChange.AccountClosed)
        {
            return ApiProblem.WrongState("The account is already closed", ApiNames.Of(account.Status));
        }

        db.AddEvent(new AccountClosed(Guid.CreateVersion7(now), account.TrustId, account.SchoolId, now, account.Id, account.ClosedReason!), account.Id.ToString(), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}

public sealed class CloseRequestRules : AbstractValidator<CloseRequest>
{
    public CloseRequestRules() => RuleFor(x => x.Reason).NotEmpty().WithMessage("Required: why the account closes.").MaximumLength(2000);
}

public sealed class CloseAccountValidator : Validator<CloseAccountCommand>
{
    public CloseAccountValidator() => RuleFor(x => x.Body).SetValidator(new CloseRequestRules());
}
