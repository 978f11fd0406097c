using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Features.Accounts.Get;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Features.Policies.Get;

/// <summary>The account rules Accounts applies to a school now, and where they come from.</summary>
public sealed record AccountPolicyResponse(
    Guid SchoolId, int MinimumAdministrators, IReadOnlyList<string> ApprovalChain, IReadOnlyList<string> RequiredFields,
    string NamingConvention, Guid? PolicyVersionId, string Version);

public static class GetAccountPolicy
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/account-policy", Handle)
            .RequireAccess(GetAccount.Readers, Scopes.AccountsRead)
            .WithTags("Policy")
            .WithName("GetAccountPolicy");

    public static async Task<Results<Ok<AccountPolicyResponse>, NotFound>> Handle(Guid schoolId, HttpContext http, AccountsDbContext db, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, GetAccount.Readers) || !await db.Schools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var p = await EffectiveAccountPolicy.ForSchoolAsync(db, schoolId, cancellationToken);
        return TypedResults.Ok(new AccountPolicyResponse(schoolId, p.MinimumAdministrators, p.ApprovalChain, p.RequiredFields, p.NamingConvention, p.PolicyVersionId, p.Version));
    }
}
