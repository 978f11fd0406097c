using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Accounts.AddAdministrator;

public sealed record AdministratorRequest(Guid StaffId);

/// <summary>
/// Adds an administrator (a handover's successor, or one more hand). The same bar as final approval:
/// current staff, trained on the social media policy, current version acknowledged.
/// </summary>
public static class AddAdministrator
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/accounts/{id:guid}/administrators", Handle)
            .RequireAccess(Access.Managers)
            .WithTags("Accounts")
            .WithName("AddAccountAdministrator");

    public static async Task<Results<Ok<AccountResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AdministratorRequest request, HttpContext http, AccountsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var account = await AccountLookup.ManagedAsync(db, http, id, cancellationToken);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        if (request.StaffId == Guid.Empty)
        {
            return new FieldErrors().Add("staffId", "Required.").ToProblem();
        }

        if (account.Status == AccountStatus.Closed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account is closed");
        }

        if (account.Administrators.Contains(request.StaffId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already an administrator of this account");
        }

        var now = time.GetUtcNow();
        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, account.SchoolId, cancellationToken);
        var shortfalls = await AdministratorReadiness.CheckAsync(db, account.SchoolId, [request.StaffId], policy, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        if (shortfalls.Count > 0)
        {
            var errors = new FieldErrors();
            foreach (var lack in shortfalls[0].Lacks)
            {
                errors.Add("staffId", $"Lacks: {lack} (rule: {PolicyRules.AdministratorReadiness}).");
            }

            return PolicyRules.Unprocessable(errors, "This person cannot administer the account yet",
                new Dictionary<string, object?> { ["shortfalls"] = shortfalls, ["policyVersion"] = policy.Version });
        }

        account.Administrators = [.. account.Administrators, request.StaffId];
        account.CredentialCustodian ??= request.StaffId;
        account.Reassess(policy.MinimumAdministrators);
        account.UpdatedAt = now;
        account.Version++;
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, account.Version);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
