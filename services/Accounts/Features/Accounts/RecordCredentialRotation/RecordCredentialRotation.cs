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

namespace Trust.Platform.Accounts.Features.Accounts.RecordCredentialRotation;

/// <summary>
/// The credentials were changed and stored in the vault. Only where they are (<see cref="VaultReference"/>) and who holds
/// them: the API has no field for a password.
/// </summary>
/// <param name="RotatedOn">The school's date of the change; not in the future.</param>
/// <param name="VaultReference">Where the new credentials are kept (a reference into the school's vault).</param>
/// <param name="CredentialCustodian">Who holds them now, one of the administrators; unchanged when omitted.</param>
public sealed record RotationRequest(DateOnly RotatedOn, string VaultReference, Guid? CredentialCustodian = null);

public sealed class RecordCredentialRotationCommand
{
    public Guid Id { get; init; }

    [FromBody]
    public RotationRequest Body { get; init; } = null!;
}

public sealed class RecordCredentialRotation(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<RecordCredentialRotationCommand, Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Record a credential rotation";

    private const string About =
        "The credentials were changed and stored in the vault (003: the administrator stores account details, including " +
        "passwords, securely): records where they are and who holds them, never the credentials, and closes the rotation task a " +
        "handover opened. A date after the school's today is refused on rotatedOn; a custodian who is not an administrator is a " +
        "422; a closed account a 409; another school's account a 404.";

    public override void Configure()
    {
        Post("/v1/accounts/{id:guid}/rotations");
        Allow(RoleSets.AccountManagers);
        Document("Accounts", Title, About);
        Problems(409, 422);
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(new RotationRequest(new DateOnly(2026, 12, 5), "vault://mellers/x/computing", Applications.ApplicationExamples.ItTechnician));
            s.ResponseExamples[200] = ContractExample.Of(AccountExamples.Live);
        });
    }

    public override async Task<Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(RecordCredentialRotationCommand command, CancellationToken ct)
    {
        var account = await db.Accounts.Managed(Caller).SingleOrDefaultAsync(a => a.Id == command.Id, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        if (request.RotatedOn > await SchoolDay.TodayAsync(db, time, account.SchoolId, ct))
        {
            return ApiProblem.Invalid("rotatedOn", "Cannot be in the future.");
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, account.SchoolId, ct);
        switch (AccountTransitions.RecordRotation(account, request.RotatedOn, request.VaultReference, request.CredentialCustodian, policy.MinimumAdministrators, time.GetUtcNow()))
        {
            case AccountChange.AccountClosed:
                return ApiProblem.WrongState("The account is closed", ApiNames.Of(account.Status));
            case AccountChange.CustodianNotAdministrator:
                return ApiProblem.RuleRefused(PolicyRules.Custodian, "The custodian is not an administrator",
                    new FieldErrors().Add("credentialCustodian", $"Must be one of the administrators (rule: {PolicyRules.Custodian})."));
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}

public sealed class RotationRequestRules : AbstractValidator<RotationRequest>
{
    public RotationRequestRules() => RuleFor(x => x.VaultReference).NotEmpty().WithMessage("Required.").MaximumLength(300);
}

public sealed class RecordCredentialRotationValidator : Validator<RecordCredentialRotationCommand>
{
    public RecordCredentialRotationValidator() => RuleFor(x => x.Body).SetValidator(new RotationRequestRules());
}
