using Trust.Platform.Hosting.People;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.SubjectAccess;

/// <summary>The subject access requests Training answered for a school (platform migration 0018).</summary>
public sealed class ListSubjectAccessLog(TrainingDbContext db) : ListSubjectAccessLogEndpoint(db)
{
    protected override Task<bool> SchoolExistsAsync(Guid schoolId, CancellationToken ct) => db.SchoolExistsAsync(schoolId, ct);
}
