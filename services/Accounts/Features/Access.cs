using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Features;

/// <summary>
/// Who sees what: a trust admin every school, a headteacher and marketing officer their own school
/// (002: the marketing officer runs the register, the headteacher approves), staff their own
/// applications and the accounts they administer. Anything else is 404, never 403.
/// </summary>
public static class Access
{
    /// <summary>Roles that run a school's register.</summary>
    public static readonly string[] Managers = [Roles.TrustAdmin, Roles.Headteacher, Roles.MarketingOfficer];

    /// <summary>Roles that may apply for an account (any member of staff, 000/003/004).</summary>
    public static readonly string[] Applicants = [Roles.TrustAdmin, Roles.Headteacher, Roles.MarketingOfficer, Roles.Staff];

    /// <summary>Every school role: an approval chain may name any of them.</summary>
    public static readonly string[] Deciders = [Roles.TrustAdmin, Roles.Headteacher, Roles.MarketingOfficer, Roles.Dsl, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    public static bool CanSee(PlatformPrincipal principal, AccountApplication application) =>
        principal.CanActForSchool(application.SchoolId, Managers) ||
        (principal.CanActForSchool(application.SchoolId, Applicants) &&
         (application.ApplicantSubject == principal.Subject || (principal.StaffId is { } staff && application.ApplicantStaffId == staff)));

    public static IQueryable<AccountApplication> Visible(IQueryable<AccountApplication> query, PlatformPrincipal principal)
    {
        var managed = principal.SchoolsFor(Managers);
        if (managed is null)
        {
            return query;
        }

        var schools = managed.ToArray();
        var ownSchools = (principal.SchoolsFor(Applicants) ?? managed).ToArray();
        var subject = principal.Subject;
        var staffId = principal.StaffId;
        return query.Where(a => schools.Contains(a.SchoolId) ||
                                (ownSchools.Contains(a.SchoolId) && (a.ApplicantSubject == subject || (staffId != null && a.ApplicantStaffId == staffId))));
    }

    public static bool CanSee(PlatformPrincipal principal, Account account) =>
        principal.IsApiKey
            ? principal.CanActForSchool(account.SchoolId)
            : principal.CanActForSchool(account.SchoolId, Managers) ||
              (principal.CanActForSchool(account.SchoolId, Roles.Staff) && principal.StaffId is { } staff && account.Administrators.Contains(staff));

    public static bool CanManage(PlatformPrincipal principal, Account account) =>
        !principal.IsApiKey && principal.CanActForSchool(account.SchoolId, Managers);

    public static IQueryable<Account> Visible(IQueryable<Account> query, PlatformPrincipal principal)
    {
        var managed = principal.IsApiKey ? principal.SchoolsFor() : principal.SchoolsFor(Managers);
        if (managed is null)
        {
            return query;
        }

        var schools = managed.ToArray();
        var staffSchools = principal.IsApiKey ? [] : (principal.SchoolsFor(Roles.Staff) ?? new HashSet<Guid>()).ToArray();
        var staffId = principal.StaffId ?? Guid.Empty;
        return query.Where(a => schools.Contains(a.SchoolId) || (staffSchools.Contains(a.SchoolId) && a.Administrators.Contains(staffId)));
    }

    /// <summary>
    /// The roles that may take an approval step. 002: accounts are approved "by the headteacher/principal
    /// or the CEO", so a trust admin may take a headteacher step; "leadership_team" (000/003/004: "approved
    /// by the leadership team") is taken by the headteacher.
    /// </summary>
    public static string[] RolesForStep(string step) => step switch
    {
        Roles.Headteacher => [Roles.Headteacher, Roles.TrustAdmin],
        "leadership_team" => [Roles.Headteacher, Roles.TrustAdmin],
        _ => [step],
    };
}
