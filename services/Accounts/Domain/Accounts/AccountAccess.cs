using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Domain.Accounts;

/// <summary>
/// Who sees and who manages a register entry, one filter for single loads and lists alike: the register's managers
/// (<see cref="RoleSets.AccountManagers"/>) their schools' accounts, staff the accounts they administer, an API key the
/// accounts of the schools it covers. Anything else is a 404, never a 403.
/// </summary>
public static class AccountAccess
{
    public static IQueryable<Account> Visible(this IQueryable<Account> query, PlatformPrincipal principal)
    {
        var managed = principal.IsApiKey ? principal.SchoolsFor() : principal.SchoolsFor([.. RoleSets.AccountManagers]);
        if (managed is null)
        {
            return query;
        }

        var schools = managed.ToArray();
        var staffSchools = principal.IsApiKey ? [] : (principal.SchoolsFor(Role.Staff) ?? new HashSet<Guid>()).ToArray();
        var staffId = principal.StaffId ?? Guid.Empty;
        return query.Where(a => schools.Contains(a.SchoolId) || (staffSchools.Contains(a.SchoolId) && a.Administrators.Contains(staffId)));
    }

    /// <summary>The accounts the caller may change: a manager's schools' (never an API key's: keys only read the register).</summary>
    public static IQueryable<Account> Managed(this IQueryable<Account> query, PlatformPrincipal principal)
    {
        if (principal.IsApiKey)
        {
            return query.Where(_ => false);
        }

        var managed = principal.SchoolsFor([.. RoleSets.AccountManagers]);
        if (managed is null)
        {
            return query;
        }

        var schools = managed.ToArray();
        return query.Where(a => schools.Contains(a.SchoolId));
    }
}
