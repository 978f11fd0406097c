using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Domain.Posts;

/// <summary>
/// Who sees a post, one filter for single loads and lists alike: the register's managers (<see cref="RoleSets.AccountManagers"/>)
/// and the school's post approvers (the roles its <c>accounts.who_may_post</c> names, worked out by the caller of this filter)
/// every post of their schools, an API key the posts of the schools it covers, anyone else only the posts they submitted
/// at a school they are still on the staff of. Anything else is a 404, never a 403.
/// </summary>
public static class PostAccess
{
    public static IQueryable<Post> Visible(this IQueryable<Post> query, PlatformPrincipal principal, IReadOnlyCollection<Guid> approverSchools)
    {
        var managed = principal.IsApiKey ? principal.SchoolsFor() : principal.SchoolsFor([.. RoleSets.AccountManagers]);
        if (managed is null)
        {
            return query;
        }

        var schools = managed.Concat(approverSchools).Distinct().ToArray();
        if (principal.IsApiKey)
        {
            return query.Where(p => schools.Contains(p.SchoolId));
        }

        var staffSchools = principal.SchoolsFor([.. RoleSets.SchoolStaff]);
        var ownSchools = staffSchools?.ToArray() ?? [];
        var anyOwnSchool = staffSchools is null;
        var subject = principal.Subject;
        var staffId = principal.StaffId;
        return query.Where(p => schools.Contains(p.SchoolId) ||
                                ((anyOwnSchool || ownSchools.Contains(p.SchoolId)) &&
                                 (p.SubmittedBy == subject || (staffId != null && p.SubmittedByStaffId == staffId))));
    }
}
