using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.People;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.SubjectAccess;

/// <summary>The subject access requests Policy answered for a school (platform migration 0018).</summary>
public sealed class ListSubjectAccessLog(PolicyDbContext db) : ListSubjectAccessLogEndpoint(db)
{
    protected override Task<bool> SchoolExistsAsync(Guid schoolId, CancellationToken ct) => db.Schools.AnyAsync(s => s.Id == schoolId, ct);
}
