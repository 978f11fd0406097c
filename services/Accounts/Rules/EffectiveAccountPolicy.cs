using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Contracts;

namespace Trust.Platform.Accounts.Rules;

/// <summary>
/// A school's account rules as Accounts acts on them: the last PolicyPublished for the school, or the
/// catalogue defaults (<see cref="PolicyDefaults.Accounts"/>) before one arrives. PolicyVersionId is null
/// until a version is published: then no acknowledgement can satisfy the precondition (docs/adr/0110).
/// </summary>
public sealed record EffectiveAccountPolicy(
    int MinimumAdministrators,
    IReadOnlyList<string> ApprovalChain,
    IReadOnlyList<string> RequiredFields,
    string NamingConvention,
    Guid? PolicyVersionId,
    string Version)
{
    /// <summary>What <see cref="Version"/> says when no version was published yet.</summary>
    public const string CatalogueDefault = "catalogue_default";

    /// <summary>004: "named after the department or activity, not a staff member".</summary>
    public const string DepartmentOrActivity = "department_or_activity";

    public static readonly EffectiveAccountPolicy Default = new(
        PolicyDefaults.Accounts.MinimumAdministrators,
        PolicyDefaults.Accounts.ApprovalChain,
        PolicyDefaults.Accounts.RequiredBusinessCaseFields,
        PolicyDefaults.Accounts.NamingConvention,
        null,
        CatalogueDefault);

    public static async Task<EffectiveAccountPolicy> ForSchoolAsync(AccountsDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var row = await db.SchoolPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.SchoolId == schoolId, cancellationToken);
        return row is null
            ? Default
            : new EffectiveAccountPolicy(
                Math.Max(1, row.MinimumAdministrators),
                // REVIEW: an empty chain would approve with nobody deciding; the catalogue's chain applies instead.
                row.ApprovalChain.Length > 0 ? row.ApprovalChain : Default.ApprovalChain,
                row.RequiredFields, row.NamingConvention, row.PolicyVersionId, row.Version);
    }

    /// <summary>At least one administrator, whatever a policy says: an account nobody administers cannot be handed over.</summary>
    public static int MinimumFrom(AccountRuleSettings rules) => Math.Max(1, rules.MinimumAdministrators);
}
