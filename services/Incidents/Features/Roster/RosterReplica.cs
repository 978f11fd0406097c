using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Incidents.Features.Roster;

/// <summary>What the case rules ask of the roster replica and the published policy.</summary>
public static class RosterQueries
{
    /// <summary>The roster role of a headteacher (Training's roster vocabulary).</summary>
    public const string HeadteacherRole = "headteacher";

    /// <summary>
    /// 002 l.225: whether a report's staff subject is the school's headteacher: the reporter says so, or the published
    /// policy's named headteacher or the school's roster recognise the roster id.
    /// </summary>
    public static async Task<bool> IsAboutHeadteacherAsync(
        IncidentsDbContext db, Guid schoolId, Guid? rosterId, bool? reporterSays, RoutingSettings routing, CancellationToken cancellationToken) =>
        reporterSays == true ||
        (rosterId is { } r && (routing.Headteacher?.StaffId == r || await IsHeadteacherAsync(db, schoolId, r, cancellationToken)));

    /// <summary>Whether the school's roster names this person as its headteacher (and they have not left).</summary>
    public static Task<bool> IsHeadteacherAsync(IncidentsDbContext db, Guid schoolId, Guid staffId, CancellationToken cancellationToken) =>
        db.Roster.AnyAsync(r => r.SchoolId == schoolId && r.StaffId == staffId && r.LeftOn == null && r.Roles.Contains(HeadteacherRole), cancellationToken);

    /// <summary>The roster ids the school's roster or last published policy names as its headteacher (for <c>CaseRecipients</c>).</summary>
    public static Task<List<Guid>> HeadteacherStaffIdsAsync(IncidentsDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var trustId = db.Tenant.TrustId ?? Guid.Empty;
        return db.Database.SqlQuery<Guid>($"""
            SELECT staff_id AS "Value" FROM incidents.staff_roster
            WHERE trust_id = {trustId} AND school_id = {schoolId} AND left_on IS NULL AND {HeadteacherRole} = ANY (roles)
            UNION
            SELECT (message -> 'routing' -> 'headteacher' ->> 'staffId')::uuid FROM incidents.published_policies
            WHERE trust_id = {trustId} AND school_id = {schoolId} AND message -> 'routing' -> 'headteacher' ->> 'staffId' IS NOT NULL
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The schools whose roster or last published policy (its named headteacher) names this person as headteacher.
    /// Raw SQL (the policy's routing is JSON), so the trust is stated here as well as enforced by row-level security.
    /// </summary>
    public static IQueryable<Guid> SchoolsWhereHeadteacher(IncidentsDbContext db, Guid staffId)
    {
        var trustId = db.Tenant.TrustId ?? Guid.Empty;
        return db.Database.SqlQuery<Guid>($"""
            SELECT school_id AS "Value" FROM incidents.staff_roster
            WHERE trust_id = {trustId} AND staff_id = {staffId} AND left_on IS NULL AND {HeadteacherRole} = ANY (roles)
            UNION
            SELECT school_id FROM incidents.published_policies
            WHERE trust_id = {trustId} AND message -> 'routing' -> 'headteacher' ->> 'staffId' = {staffId.ToString()}
            """);
    }
}

// The roster replica. Each event type has its own queue, so a StaffLeft can overtake its StaffJoined: every consumer
// upserts in one statement (two events for one person consumed at once cannot both insert) and the newer occurred-at
// wins. The trust comes from the message (the inbox base sets it) and row-level security checks every row against it.

public sealed class StaffJoinedConsumer(IncidentsDbContext db) : InboxConsumer<StaffJoined, IncidentsDbContext>(db)
{
    protected override string ConsumerName => nameof(StaffJoinedConsumer);

    protected override Task HandleAsync(StaffJoined m, CancellationToken cancellationToken) =>
        Db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO incidents.staff_roster (trust_id, school_id, staff_id, roles, left_on, updated_at)
            VALUES ({m.TrustId}, {m.SchoolId}, {m.StaffId}, {m.Roles.ToArray()}, NULL, {m.OccurredAt})
            ON CONFLICT (trust_id, school_id, staff_id) DO UPDATE SET roles = excluded.roles, left_on = NULL, updated_at = excluded.updated_at
            WHERE incidents.staff_roster.updated_at <= excluded.updated_at
            """, cancellationToken);
}

public sealed class StaffRoleChangedConsumer(IncidentsDbContext db) : InboxConsumer<StaffRoleChanged, IncidentsDbContext>(db)
{
    protected override string ConsumerName => nameof(StaffRoleChangedConsumer);

    protected override Task HandleAsync(StaffRoleChanged m, CancellationToken cancellationToken) =>
        Db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO incidents.staff_roster (trust_id, school_id, staff_id, roles, left_on, updated_at)
            VALUES ({m.TrustId}, {m.SchoolId}, {m.StaffId}, {m.Roles.ToArray()}, NULL, {m.OccurredAt})
            ON CONFLICT (trust_id, school_id, staff_id) DO UPDATE SET roles = excluded.roles, updated_at = excluded.updated_at
            WHERE incidents.staff_roster.updated_at <= excluded.updated_at
            """, cancellationToken);
}

public sealed class StaffLeftConsumer(IncidentsDbContext db) : InboxConsumer<StaffLeft, IncidentsDbContext>(db)
{
    protected override string ConsumerName => nameof(StaffLeftConsumer);

    protected override Task HandleAsync(StaffLeft m, CancellationToken cancellationToken) =>
        Db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO incidents.staff_roster (trust_id, school_id, staff_id, roles, left_on, updated_at)
            VALUES ({m.TrustId}, {m.SchoolId}, {m.StaffId}, {Array.Empty<string>()}, {m.LeaveDate}, {m.OccurredAt})
            ON CONFLICT (trust_id, school_id, staff_id) DO UPDATE SET left_on = excluded.left_on, updated_at = excluded.updated_at
            WHERE incidents.staff_roster.updated_at <= excluded.updated_at
            """, cancellationToken);
}
