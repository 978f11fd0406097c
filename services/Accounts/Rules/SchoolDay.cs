using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Accounts.Rules;

/// <summary>"Today" for a school's register (training expiry, rotation and review dates): the school's own date, from the directory's time zone.</summary>
public static class SchoolDay
{
    public static async Task<DateOnly> TodayAsync(AccountsDbContext db, TimeProvider time, Guid schoolId, CancellationToken cancellationToken)
    {
        var zone = await db.Schools.AsNoTracking().Where(s => s.SchoolId == schoolId).Select(s => s.TimeZone).SingleOrDefaultAsync(cancellationToken);
        return time.TodayAt(zone);
    }
}
