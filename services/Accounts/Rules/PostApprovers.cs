using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Rules;

/// <summary>Who approves posts at a school: a holder of a role its <c>accounts.who_may_post</c> names (002 l.143: the marketing officer).</summary>
public static class PostApprovers
{
    public static bool MayApprove(PlatformPrincipal principal, Guid schoolId, EffectiveAccountPolicy policy) =>
        !principal.IsApiKey && principal.CanActForSchool(schoolId, [.. policy.WhoMayPost]);

    /// <summary>
    /// The schools (among those the caller holds a school role at) where the caller approves posts. A role held for the whole
    /// trust is the trust's admin, who sees every post as a register manager already.
    /// </summary>
    public static async Task<IReadOnlyCollection<Guid>> SchoolsAsync(AccountsDbContext db, PlatformPrincipal principal, CancellationToken cancellationToken)
    {
        var candidates = principal.IsApiKey ? null : principal.SchoolsFor([.. RoleSets.AnyoneInSchool]);
        if (candidates is null)
        {
            return [];
        }

        var schools = new List<Guid>();
        foreach (var school in candidates)
        {
            if (MayApprove(principal, school, await EffectiveAccountPolicy.ForSchoolAsync(db, school, cancellationToken)))
            {
                schools.Add(school);
            }
        }

        return schools;
    }
}
