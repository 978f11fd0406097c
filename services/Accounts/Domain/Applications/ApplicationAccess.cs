using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Domain.Applications;

/// <summary>
/// Who sees an application, one filter for single loads and lists alike: the register's managers
/// (<see cref="RoleSets.AccountManagers"/>; 002: the marketing officer runs it, the headteacher approves) every
/// application of their schools, any other applicant only their own. Anything else is a 404, never a 403.
/// </summary>
public static class ApplicationAccess
{
    public static IQueryable<AccountApplication> Visible(this IQueryable<AccountApplication> query, PlatformPrincipal principal)
    {
        var managed = principal.SchoolsFor([.. RoleSets.AccountManagers]);
        if (managed is null)
        {
            return query;
        }

        var schools = managed.ToArray();
        var ownSchools = (principal.SchoolsFor([.. RoleSets.AccountApplicants]) ?? managed).ToArray();
        var subject = principal.Subject;
        var staffId = principal.StaffId;
        return query.Where(a => schools.Contains(a.SchoolId) ||
                                (ownSchools.Contains(a.SchoolId) && (a.ApplicantSubject == subject || (staffId != null && a.ApplicantStaffId == staffId))));
    }
}
