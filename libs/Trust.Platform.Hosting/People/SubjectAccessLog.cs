using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.People;

/// <summary>One subject access request a service answered (platform migration 0018).</summary>
/// <param name="SubjectKind"><c>pupil</c> (by MIS id) or <c>staff</c> (by roster id).</param>
/// <param name="SubjectRef">The MIS id or roster id the request named.</param>
/// <param name="RequestedBy">Who asked: <c>staff:{rosterId}</c>, <c>user:{subject}</c> or <c>api-key:{id}</c>.</param>
/// <param name="RequestedAs">The role they asked as (<c>trust_admin</c>, <c>headteacher</c>, <c>dsl</c>) or <c>integration</c> for a key.</param>
/// <param name="Records">How many records the answer held (for Incidents, the cases).</param>
public sealed record SubjectAccessLogEntry(
    Guid Id, Guid SchoolId, string SubjectKind, string SubjectRef, string RequestedBy, string RequestedAs, int Records, DateTimeOffset RequestedAt);

/// <summary>
/// The log of the subject access requests a service answered: every service's <c>/v1/schools/{schoolId}/subject-access</c>
/// records its answer here before sending it, and <c>/v1/schools/{schoolId}/subject-access/log</c> lists them.
/// </summary>
public static class SubjectAccessLog
{
    /// <summary>Records the request <paramref name="query"/> as answered with <paramref name="records"/> records, before the answer goes.</summary>
    public static async Task RecordAsync(TenantDbContext db, PlatformPrincipal caller, SubjectAccessQuery query, int records, DateTimeOffset now, CancellationToken ct)
    {
        var (kind, reference) = query.RosterId is { } rosterId ? ("staff", rosterId.ToString()) : ("pupil", query.MisId!.Trim());
        var schema = db.Model.GetDefaultSchema();
#pragma warning disable EF1002 // the schema is the service's own identifier (validated at migration); every value is a parameter
        await db.Database.ExecuteSqlRawAsync($$"""
            INSERT INTO {{schema}}.subject_access_log (trust_id, id, school_id, subject_kind, subject_ref, requested_by, requested_as, records, requested_at)
            VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8})
            """,
            [db.Tenant.TrustId!.Value, Guid.CreateVersion7(now), query.SchoolId, kind, reference, caller.Actor, caller.RoleAt(query.SchoolId, RoleSets.SubjectAccessRequesters), records, now], ct);
#pragma warning restore EF1002
    }

    /// <summary>A page of the school's log, oldest first, after <paramref name="after"/>.</summary>
    public static async Task<List<SubjectAccessLogEntry>> ListAsync(TenantDbContext db, Guid schoolId, Guid? after, int take, CancellationToken ct)
    {
        var schema = db.Model.GetDefaultSchema();
#pragma warning disable EF1002 // as above
        return await db.Database.SqlQueryRaw<SubjectAccessLogEntry>($$"""
            SELECT id AS "Id", school_id AS "SchoolId", subject_kind AS "SubjectKind", subject_ref AS "SubjectRef",
                   requested_by AS "RequestedBy", requested_as AS "RequestedAs", records AS "Records", requested_at AS "RequestedAt"
            FROM {{schema}}.subject_access_log
            WHERE trust_id = {0} AND school_id = {1} AND ({2}::uuid IS NULL OR id > {2}::uuid)
            ORDER BY id
            LIMIT {3}
            """, db.Tenant.TrustId ?? Guid.Empty, schoolId, (object?)after ?? DBNull.Value, take).ToListAsync(ct);
#pragma warning restore EF1002
    }
}

public sealed class SubjectAccessLogQuery : PageQuery
{
    public Guid SchoolId { get; init; }
}

public sealed class SubjectAccessLogValidator : PageQueryValidator<SubjectAccessLogQuery>;

/// <summary>
/// Lists the subject access requests a service answered for a school, for the people who may make them. Each service maps it
/// with a one-line subclass that says how it knows the school (its own directory or its replica).
/// </summary>
public abstract class ListSubjectAccessLogEndpoint(TenantDbContext db)
    : PlatformEndpoint<SubjectAccessLogQuery, Results<Ok<Page<SubjectAccessLogEntry>>, NotFound, ProblemHttpResult>>
{
    /// <summary>Whether the school is one of the caller's trust's, as this service knows its schools.</summary>
    protected abstract Task<bool> SchoolExistsAsync(Guid schoolId, CancellationToken ct);

    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/subject-access/log");
        Allow(RoleSets.SubjectAccessRequesters);
        Document("Subject access", "List the subject access requests answered for the school",
            "Every subject access export this service answered for the school, oldest first: when, about whom (the MIS id or roster id the " +
            "request named, never a name), who asked and as what, and how many records the answer held. A row is written before its answer " +
            "is sent and can never be changed or deleted. For the trust's admins, the headteacher and the DSL; another school's is a 404. " +
            "Cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<SubjectAccessLogEntry>>, NotFound, ProblemHttpResult>> ExecuteAsync(SubjectAccessLogQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SubjectAccessRequesters]) || !await SchoolExistsAsync(query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var rows = await SubjectAccessLog.ListAsync(db, query.SchoolId, after, size + 1, ct);
        return TypedResults.Ok(Paging.Build(rows, size, r => r.Id.ToString(), r => r));
    }
}
