using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.RecordRotation;

/// <summary>
/// The credentials were changed and stored in the vault. Only where they are (<see cref="VaultReference"/>)
/// and who holds them: the API has no field for a password.
/// </summary>
public sealed record RotationRequest(DateOnly RotatedOn, string VaultReference, Guid? CredentialCustodian = null);

public static class RecordRotation
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/accounts/{id:guid}/rotations", Handle)
            .RequireAccess(Access.Managers)
            .WithTags("Accounts")
            .WithName("RecordCredentialRotation");

    public static async Task<Results<Ok<AccountResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, RotationRequest request, HttpContext http, AccountsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var account = await AccountLookup.ManagedAsync(db, http, id, cancellationToken);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var errors = new FieldErrors().Required("vaultReference", request.VaultReference, 300);
        if (request.RotatedOn > DateOnly.FromDateTime(now.UtcDateTime))
        {
            errors.Add("rotatedOn", "Cannot be in the future.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (account.Status == AccountStatus.Closed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account is closed");
        }

        if (request.CredentialCustodian is { } custodian && !account.Administrators.Contains(custodian))
        {
            return PolicyRules.Unprocessable(new FieldErrors().Add("credentialCustodian", $"Must be one of the administrators (rule: {PolicyRules.Custodian})."),
                "The custodian is not an administrator");
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, account.SchoolId, cancellationToken);
        account.LastRotatedOn = account.LastRotatedOn is { } last && last > request.RotatedOn ? last : request.RotatedOn;
        account.VaultReference = request.VaultReference.Trim();
        account.CredentialCustodian = request.CredentialCustodian ?? account.CredentialCustodian;
        account.RotationRequired = false;
        account.RotationRequiredSince = null;
        account.Reassess(policy.MinimumAdministrators);
        account.UpdatedAt = now;
        account.Version++;
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
