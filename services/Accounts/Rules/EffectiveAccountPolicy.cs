using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Policy;

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
    string Version,
    IReadOnlyList<string> WhoMayPost,
    IReadOnlyList<string> PostCategories,
    IReadOnlyList<string> ToneKeywords)
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
        CatalogueDefault,
        PolicyDefaults.Accounts.WhoMayPost!,
        PolicyDefaults.Accounts.PostCategories!,
        PolicyDefaults.Accounts.ToneKeywords!);

    /// <summary>The school's rules from its latest publication (the platform's policy view), or the catalogue's defaults before one.</summary>
    public static async Task<EffectiveAccountPolicy> ForSchoolAsync(AccountsDbContext db, Guid schoolId, CancellationToken cancellationToken) =>
        From(await PolicyViews.FindAsync(db, schoolId, cancellationToken));

    public static EffectiveAccountPolicy From(PolicyPublished? published) => published is null
        ? Default
        : new EffectiveAccountPolicy(
            MinimumFrom(published.Accounts),
            // REVIEW: an empty chain would approve with nobody deciding; the catalogue's chain applies instead.
            published.Accounts.ApprovalChain.Count > 0 ? published.Accounts.ApprovalChain : Default.ApprovalChain,
            published.Accounts.RequiredBusinessCaseFields, published.Accounts.NamingConvention, published.PolicyVersionId, published.Version,
            // A publication from before these settings travelled carries none: the catalogue's apply, as before any publication.
            // REVIEW: an empty who_may_post would leave posts nobody may approve; the catalogue's marketing officer applies instead.
            published.Accounts.WhoMayPost is { Count: > 0 } posters ? posters : Default.WhoMayPost,
            published.Accounts.PostCategories ?? Default.PostCategories,
            published.Accounts.ToneKeywords ?? Default.ToneKeywords);

    /// <summary>At least one administrator, whatever a policy says: an account nobody administers cannot be handed over.</summary>
    public static int MinimumFrom(AccountRuleSettings rules) => Math.Max(1, rules.MinimumAdministrators);
}
