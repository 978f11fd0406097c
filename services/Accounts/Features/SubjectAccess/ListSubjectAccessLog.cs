using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.People;
using Trust.Platform.Accounts.Infrastructure;

namespace Trust.Platform.Accounts.Features.SubjectAccess;

/// <summary>The subject access requests Accounts answered for a school (platform migration 0018).</summary>
public sealed class ListSubjectAccessLog(AccountsDbContext db) : ListSubjectAccessLogEndpoint(db)
{
    protected override Task<bool> SchoolExistsAsync(Guid schoolId, CancellationToken ct) => db.Schools.AnyAsync(s => s.SchoolId == schoolId, ct);
}
