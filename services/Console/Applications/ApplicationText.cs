using Trust.Platform.Client.Accounts.Models;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Console.Applications;

/// <summary>Who may take a step of an account application's approval chain, as Accounts decides it, so a page offers only what the API allows.</summary>
public static class ApplicationText
{
    /// <summary>
    /// The roles that may take <paramref name="step"/>: Accounts' <c>ApprovalChain.RolesForStep</c> (002: "approved by the
    /// headteacher/principal or the CEO", so a trust admin may take a headteacher or leadership team step; any other step only
    /// its own role). REVIEW: a copy of the service's rule, because the contract does not say who may decide; a change there
    /// must be made here too (the API still refuses what it does not allow).
    /// </summary>
    public static IReadOnlyList<string> RolesForStep(string step) => step switch
    {
        Roles.Headteacher or "leadership_team" => [Roles.Headteacher, Roles.TrustAdmin],
        _ => [step],
    };

    /// <summary>
    /// Whether <paramref name="me"/> may decide the step the application awaits: a holder of one of its roles at the
    /// application's school (or across the whole trust, as a trust admin's), and not the applicant (accounts.no_self_approval).
    /// </summary>
    public static bool MayDecide(ApplicationResponse application, WhoAmIResponse me)
    {
        if (application is not { Status: ApplicationStatus.Pending, NextStep: { Length: > 0 } step, SchoolId: { } school } ||
            application.ApplicantSubject == me.Subject)
        {
            return false;
        }

        var roles = RolesForStep(step);
        return me.Roles?.Any(r => r.Role is { } role && roles.Contains(role) &&
            (r.WholeTrust == true || r.SchoolIds?.Contains(school) == true)) == true;
    }
}
