using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Hosting.People;

public sealed class PeopleOptions
{
    /// <summary>
    /// How long a member's resolved roles are trusted without asking the replica again. Bounds how late a removal bites
    /// in a process that did not consume the event itself (another replica of the service): event delivery plus this
    /// stays within the 5 seconds a removal is promised in.
    /// </summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>What a signed-in member may do, from the replica: their roster id and the role claims their current posts grant.</summary>
public sealed record MemberGrants(Guid MemberId, Guid? StaffId, IReadOnlyList<string> RoleClaims);

/// <summary>
/// This process's memory of resolved members, per (trust, issuer, subject), for <see cref="PeopleOptions.CacheFor"/>. Bounded
/// (a full cache starts again empty). Forgetting a trust moves a <see cref="CacheGeneration"/> on: a lookup under way while
/// an event was applied does not store what it read.
/// </summary>
public sealed class MemberGrantCache(IOptions<PeopleOptions> options, TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(Guid Trust, string Issuer, string Subject), (MemberGrants? Grants, DateTimeOffset Until)> _entries = new();
    private readonly CacheGeneration _generation = new();

    public long Generation => _generation.Current;

    public bool TryGet(Guid trust, string issuer, string subject, out MemberGrants? grants)
    {
        if (_entries.TryGetValue((trust, issuer, subject), out var entry) && entry.Until > time.GetUtcNow())
        {
            grants = entry.Grants;
            return true;
        }

        grants = null;
        return false;
    }

    public void Remember(Guid trust, string issuer, string subject, MemberGrants? grants, long generation)
    {
        var until = time.GetUtcNow() + options.Value.CacheFor;
        _generation.StoreIfCurrent(generation, () =>
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[(trust, issuer, subject)] = (grants, until);
        });
    }

    /// <summary>A member or appointment of the trust changed: resolve its members again on their next request.</summary>
    public void Forget(Guid trust) => _generation.Advance(() =>
    {
        foreach (var key in _entries.Keys.Where(k => k.Trust == trust))
        {
            _entries.TryRemove(key, out _);
        }
    });
}

/// <summary>Reads a signed-in subject's member record and current posts from this service's replica.</summary>
public sealed class MemberDirectory(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, MemberGrantCache cache, TimeProvider time)
{
    /// <summary>
    /// The member who signs in as <paramref name="subject"/> (from <paramref name="issuer"/>, when the member names one) and
    /// the role claims of their posts current today; null when the trust has no such member.
    /// </summary>
    public async Task<MemberGrants?> FindAsync(Guid trustId, string issuer, string subject, CancellationToken ct)
    {
        if (cache.TryGet(trustId, issuer, subject, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation;
        var grants = await ReadAsync(trustId, issuer, subject, ct);
        cache.Remember(trustId, issuer, subject, grants, generation);
        return grants;
    }

    private async Task<MemberGrants?> ReadAsync(Guid trustId, string issuer, string subject, CancellationToken ct)
    {
        // REVIEW: "today" for a post's first and last day is taken in Europe/London (every school of the seeds); a trust with
        // schools in other zones would need each school's zone from the directory replica.
        var today = time.TodayAt("Europe/London");
        var schema = database.Value.Schema;
        await using var connection = await TenantSession.OpenAsync(dataSource, trustId, ct);
        await using var command = new NpgsqlCommand($"""
            WITH member AS (
                SELECT m.member_id, m.staff_id FROM {schema}.people_members m
                WHERE m.subject = $1 AND (m.issuer IS NULL OR m.issuer = $2)
                ORDER BY m.issuer IS NULL, m.member_id LIMIT 1)
            SELECT member.member_id, member.staff_id, a.role, a.school_id
            FROM member LEFT JOIN {schema}.people_appointments a
              ON a.member_id = member.member_id AND a.ended_at IS NULL AND a.starts_on <= $3 AND (a.ends_on IS NULL OR a.ends_on >= $3)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        command.Parameters.Add(new NpgsqlParameter { Value = issuer });
        command.Parameters.Add(new NpgsqlParameter { Value = today });
        await using var reader = await command.ExecuteReaderAsync(ct);
        MemberGrants? grants = null;
        var claims = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            grants ??= new MemberGrants(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), claims);
            if (!reader.IsDBNull(2))
            {
                var claim = AppointmentRoles.Claim(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3));
                if (!claims.Contains(claim))
                {
                    claims.Add(claim);
                }
            }
        }

        return grants;
    }
}
