using Trust.Platform.Client.Accounts.Models;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Console.Applications;

/// <summary>Who may take a step of an account application's approval chain, as Accounts decides it, so a page offers only what the API allows.</summary>
public static class ApplicationText
{
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

        // The rule Accounts decides with (RoleSets.ForApprovalStep); the API still refuses what it does not allow.
        var roles = RoleSets.ForApprovalStep(step);
        return me.Roles?.Any(r => r.Role is { } role && roles.Contains(role) &&
            (r.WholeTrust == true || r.SchoolIds?.Contains(school) == true)) == true;
    }
}
