using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Hosting.People;

/// <summary>One current post from this service's replica of appointments: who holds it, their roster id, where.</summary>
public sealed class PostHolder
{
    public Guid MemberId { get; init; }

    public Guid? StaffId { get; init; }

    /// <summary>Null for a post across the trust (trust admin).</summary>
    public Guid? SchoolId { get; init; }

    /// <summary>The post as appointed (<c>headteacher</c>, <c>deputy_dsl</c>, ...): <see cref="Auth.AppointmentRoles.Grants"/> gives its role.</summary>
    public string Post { get; init; } = "";
}

/// <summary>
/// How a service decides whom to tell and asks Policy to tell them (<see cref="NotificationRequested"/>): the posts held at
/// a school on a day, read from the service's own replica of Policy's appointments, and a ledger of the notices a sweep has
/// already sent. Who may know stays the service's own rule (Incidents' case visibility); this only finds the people.
/// </summary>
public static class Notices
{
    /// <summary>
    /// The posts current on <paramref name="day"/> at <paramref name="schoolId"/>, and the trust's posts across every school,
    /// as this service's replica has them. The query runs under the context's trust (row-level security).
    /// </summary>
    public static Task<List<PostHolder>> PostsAtAsync(TenantDbContext db, Guid schoolId, DateOnly day, CancellationToken ct)
    {
        var schema = db.Model.GetDefaultSchema();
#pragma warning disable EF1002 // the schema is the model's own identifier; every value is a parameter
        return db.Database.SqlQueryRaw<PostHolder>($$"""
            SELECT a.member_id AS "MemberId", m.staff_id AS "StaffId", a.school_id AS "SchoolId", a.role AS "Post"
            FROM {{schema}}.people_appointments a
            LEFT JOIN {{schema}}.people_members m ON m.trust_id = a.trust_id AND m.member_id = a.member_id
            WHERE (a.school_id = {0} OR a.school_id IS NULL) AND a.ended_at IS NULL
              AND (a.starts_on IS NULL OR a.starts_on <= {1}) AND (a.ends_on IS NULL OR a.ends_on >= {1})
            """, schoolId, day).ToListAsync(ct);
#pragma warning restore EF1002
    }

    /// <summary>The members holding, at <paramref name="schoolId"/>, a post that grants one of <paramref name="roles"/>, each once, in a stable order.</summary>
    public static List<Guid> Holding(IEnumerable<PostHolder> posts, Guid schoolId, params string[] roles) =>
        [.. posts.Where(p => p.SchoolId == schoolId && roles.Contains(Auth.AppointmentRoles.Grants(p.Post))).Select(p => p.MemberId).Distinct().Order()];

    /// <summary>The members whose roster id is one of <paramref name="staffIds"/> (a roster person is told as the member linked to them).</summary>
    public static async Task<Dictionary<Guid, Guid>> MembersByStaffAsync(TenantDbContext db, IReadOnlyCollection<Guid> staffIds, CancellationToken ct)
    {
        if (staffIds.Count == 0)
        {
            return [];
        }

        var schema = db.Model.GetDefaultSchema();
#pragma warning disable EF1002 // as above
        var rows = await db.Database.SqlQueryRaw<PostHolder>($$"""
            SELECT member_id AS "MemberId", staff_id AS "StaffId", NULL::uuid AS "SchoolId", '' AS "Post"
            FROM {{schema}}.people_members WHERE staff_id = ANY ({0})
            """, staffIds.ToArray()).ToListAsync(ct);
#pragma warning restore EF1002
        // One roster person linked to two members (a data error in the trust's directory) tells the first, by id.
        return rows.GroupBy(r => r.StaffId!.Value).ToDictionary(g => g.Key, g => g.Min(r => r.MemberId));
    }

    /// <summary>
    /// Claims the notice keys not claimed before, in the caller's transaction, and returns them: a sweep writes the
    /// NotificationRequested of exactly these, so a notice is asked for once however often or wherever the sweep runs.
    /// </summary>
    public static async Task<HashSet<string>> ClaimAsync(TenantDbContext db, IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var schema = db.Model.GetDefaultSchema();
#pragma warning disable EF1002 // as above
        var claimed = await db.Database.SqlQueryRaw<string>($$"""
            INSERT INTO {{schema}}.notices_sent (trust_id, notice_key, sent_at)
            SELECT {0}, k, {2} FROM unnest({1}::text[]) AS k
            ON CONFLICT DO NOTHING
            RETURNING notice_key AS "Value"
            """, db.Tenant.TrustId!.Value, keys.Distinct().ToArray(), now).ToListAsync(ct);
#pragma warning restore EF1002
        return [.. claimed];
    }

    /// <summary>
    /// The event id of a notice identified by <paramref name="key"/> within a trust: the same key always gives the same
    /// id, so Policy's queue (unique per event and member) would add nothing even if the request were sent twice.
    /// </summary>
    public static Guid IdOf(Guid trustId, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{trustId:N}|{key}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (RFC 9562: custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
