namespace Trust.Platform.Accounts.Rules;

/// <summary>Rule names as they appear in problem details, so a caller can tell which policy rule refused it.</summary>
public static class PolicyRules
{
    public const string MinimumAdministrators = "accounts.minimum_administrators";
    public const string RequiredFields = "accounts.required_business_case_fields";
    public const string NamingConvention = "accounts.naming_convention";
    public const string SchoolStaff = "accounts.administrators_are_school_staff";
    public const string Custodian = "accounts.custodian_is_an_administrator";
    public const string VisibilityReason = "accounts.open_or_closed_reason";
    public const string ParentalConsent = "accounts.parental_consent_when_pupils_contribute";
    public const string AdministratorReadiness = "accounts.administrators_trained_and_acknowledged";

    /// <summary>The rule a 422 on a business case names: the school's account policy; each field's reason names the rule within it.</summary>
    public const string AccountPolicy = "accounts.account_policy";

    public static string Minimum(EffectiveAccountPolicy policy, int named) =>
        $"At least {policy.MinimumAdministrators} administrators are required, {named} named (rule: {MinimumAdministrators} = {policy.MinimumAdministrators}, policy version {policy.Version}; 004: at least two administrators).";
}
