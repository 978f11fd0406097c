using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.People;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.SubjectAccess;

/// <summary>The subject access requests Incidents answered for a school (platform migration 0018).</summary>
public sealed class ListSubjectAccessLog(IncidentsDbContext db) : ListSubjectAccessLogEndpoint(db)
{
    protected override Task<bool> SchoolExistsAsync(Guid schoolId, CancellationToken ct) => db.Schools.AnyAsync(s => s.SchoolId == schoolId, ct);
}
