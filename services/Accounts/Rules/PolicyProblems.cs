using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Http;

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

    /// <summary>A 422 problem with the errors map (field -> reasons, each naming its rule).</summary>
    public static ProblemHttpResult Unprocessable(FieldErrors errors, string title, IDictionary<string, object?>? extensions = null)
    {
        var dictionary = errors.ToDictionary();
        var problem = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(dictionary)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = string.Join("; ", dictionary.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static string Minimum(EffectiveAccountPolicy policy, int named) =>
        $"At least {policy.MinimumAdministrators} administrators are required, {named} named (rule: {MinimumAdministrators} = {policy.MinimumAdministrators}, policy version {policy.Version}; 004: at least two administrators).";
}
