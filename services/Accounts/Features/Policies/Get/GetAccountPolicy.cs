using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Accounts.Features.Policies.Get;

/// <summary>The account rules Accounts applies to a school now, and where they come from.</summary>
/// <param name="PolicyVersionId">The published version they come from; null before the school's first publication (catalogue defaults).</param>
/// <param name="WhoMayPost">The roles that approve posts on the school's accounts (002 l.143: the marketing officer).</param>
/// <param name="PostCategories">What a post may be about: a submitted post names one of these (002 l.145-148).</param>
/// <param name="ToneKeywords">The tone a post keeps: an approver confirms each one (002 l.150-157).</param>
public sealed record AccountPolicyResponse(
    Guid SchoolId, int MinimumAdministrators, IReadOnlyList<string> ApprovalChain, IReadOnlyList<string> RequiredFields,
    string NamingConvention, Guid? PolicyVersionId, string Version,
    IReadOnlyList<string> WhoMayPost, IReadOnlyList<string> PostCategories, IReadOnlyList<string> ToneKeywords);

public sealed record GetAccountPolicyQuery(Guid SchoolId);

public sealed class GetAccountPolicy(AccountsDbContext db) : PlatformEndpoint<GetAccountPolicyQuery, Results<Ok<AccountPolicyResponse>, NotFound>>
{
    private const string Title = "Read the account rules Accounts applies to a school";

    private const string About =
        "From the school's latest published policy, or the catalogue's defaults before one: the minimum number of administrators " +
        "(004: at least two), the approval chain (002 Appendix C: marketing officer then headteacher; 000/003/004: the leadership " +
        "team), the business-case fields required and the naming convention (004); and for posts on the school's accounts, who approves " +
        "them (accounts.who_may_post; 002 l.143: the marketing officer), the categories a post may be about (posts.allowed_categories) and " +
        "the tone an approver confirms (posts.tone_keywords). A school the caller does not act for is a 404.";

    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/account-policy");
        Allow(RoleSets.AccountApplicants, Scope.AccountsRead);
        Document("Policy", Title, About);
        Summary(s =>
        {
            s.ResponseExamples[200] = ContractExample.Of(new AccountPolicyResponse(
                Applications.ApplicationExamples.Mellers, 2, ["leadership_team"], ["purpose", "audiences", "administrators", "open_or_closed"],
                EffectiveAccountPolicy.DepartmentOrActivity, Guid.Parse("0193f1a0-0000-7000-8000-00000000d001"), "1.0",
                ["marketing_officer"], ["celebrations", "events", "curriculum", "achievements", "notices"], ["professional", "respectful", "balanced"]));
        });
    }

    public override async Task<Results<Ok<AccountPolicyResponse>, NotFound>> ExecuteAsync(GetAccountPolicyQuery query, CancellationToken ct)
    {
        // The route's school is checked by authorisation (404 for a school the caller does not act for); this is existence.
        if (!await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var p = await EffectiveAccountPolicy.ForSchoolAsync(db, query.SchoolId, ct);
        return TypedResults.Ok(new AccountPolicyResponse(query.SchoolId, p.MinimumAdministrators, p.ApprovalChain, p.RequiredFields, p.NamingConvention, p.PolicyVersionId, p.Version,
            p.WhoMayPost, p.PostCategories, p.ToneKeywords));
    }
}
