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

namespace Trust.Platform.Accounts.Features.Accounts.AddAccountAdministrator;

/// <param name="StaffId">The person's roster id (Training's StaffJoined).</param>
public sealed record AdministratorRequest(Guid StaffId);

public sealed class AddAccountAdministratorCommand
{
    public Guid Id { get; init; }

    [FromBody]
    public AdministratorRequest Body { get; init; } = null!;
}

/// <summary>
/// Adds an administrator (a handover's successor, or one more hand). The same bar as final approval: current staff,
/// trained on the social media policy, current version acknowledged.
/// </summary>
public sealed class AddAccountAdministrator(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<AddAccountAdministratorCommand, Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Add an administrator to an account";

    private const string About =
        "A handover's successor or one more hand (000/003/004: the administrator controls the handover when the lead leaves). " +
        "The person must be current staff of the school, trained on the social media policy and have acknowledged its current " +
        "version: otherwise a 422 naming what they lack. Meeting the policy's minimum again clears at_risk; the handover stays " +
        "open until the credentials are rotated. A closed account or an existing administrator is a 409; another school's " +
        "account a 404.";

    public override void Configure()
    {
        Post("/v1/accounts/{id:guid}/administrators");
        Allow(RoleSets.AccountManagers);
        Document("Accounts", Title, About);
        Problems(409, 422);
    }

    public override async Task<Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(AddAccountAdministratorCommand command, CancellationToken ct)
    {
        var account = await db.Accounts.Managed(Caller).SingleOrDefaultAsync(a => a.Id == command.Id, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var staffId = command.Body.StaffId;
        switch (AccountTransitions.CanAddAdministrator(account, staffId))
        {
            case AccountChange.AccountClosed:
                return ApiProblem.WrongState("The account is closed", ApiNames.Of(account.Status));
            case AccountChange.AlreadyAdministrator:
                return ApiProblem.Conflict("Already an administrator of this account");
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, account.SchoolId, ct);
        var today = await SchoolDay.TodayAsync(db, time, account.SchoolId, ct);
        var shortfalls = await AdministratorReadiness.CheckAsync(db, account.SchoolId, [staffId], policy, today, ct);
        if (shortfalls.Count > 0)
        {
            var errors = new FieldErrors();
            foreach (var lack in shortfalls[0].Lacks)
            {
                errors.Add("staffId", $"Lacks: {lack} (rule: {PolicyRules.AdministratorReadiness}).");
            }

            return ApiProblem.RuleRefused(PolicyRules.AdministratorReadiness, "This person cannot administer the account yet", errors,
                new Dictionary<string, object?> { ["shortfalls"] = shortfalls, ["policyVersion"] = policy.Version });
        }

        AccountTransitions.AddAdministrator(account, staffId, policy.MinimumAdministrators, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}

public sealed class AdministratorRequestRules : AbstractValidator<AdministratorRequest>
{
    public AdministratorRequestRules() => RuleFor(x => x.StaffId).NotEmpty().WithMessage("Required.");
}

public sealed class AddAccountAdministratorValidator : Validator<AddAccountAdministratorCommand>
{
    public AddAccountAdministratorValidator() => RuleFor(x => x.Body).SetValidator(new AdministratorRequestRules());
}
