using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Common;

/// <summary>Who may do what in Training, and the school/person checks every handler shares (another school's record is 404).</summary>
public static class TrainingAccess
{
    /// <summary>Keep the roster and record training for a school.</summary>
    public static readonly string[] Managers = [Roles.TrustAdmin, Roles.Headteacher];

    /// <summary>See a school's roster, requirements and compliance.</summary>
    public static readonly string[] Readers = [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl];

    /// <summary>Anyone on a school's staff: may see and act on their own records only.</summary>
    public static readonly string[] Everyone =
        [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    /// <summary>The school when the caller may act on it through <paramref name="roles"/>; null (404) otherwise or when unknown.</summary>
    public static async Task<DirectorySchool?> SchoolAsync(HttpContext http, TrainingDbContext db, Guid schoolId, string[] roles, CancellationToken cancellationToken) =>
        http.Principal().CanActForSchool(schoolId, roles)
            ? await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken)
            : null;

    /// <summary>The caller is the person themself (their token's <c>tp_staff</c> claim), acting within that school.</summary>
    public static bool IsSelf(HttpContext http, Guid schoolId, Guid personId)
    {
        var principal = http.Principal();
        return !principal.IsApiKey && principal.StaffId == personId && principal.CanActForSchool(schoolId, Everyone);
    }

    /// <summary>Readers of the school see everyone in it; anyone else sees only their own record.</summary>
    public static async Task<DirectorySchool?> PersonScopeAsync(HttpContext http, TrainingDbContext db, Guid schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        if (!principal.CanActForSchool(schoolId, Readers) && !IsSelf(http, schoolId, personId))
        {
            return null;
        }

        return await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken);
    }

    /// <summary>The school's local date: due dates are calendar days where the school is.</summary>
    public static DateOnly Today(TimeProvider time, string? timeZone) => PlatformClock.LocalDate(time.GetUtcNow(), timeZone);
}
