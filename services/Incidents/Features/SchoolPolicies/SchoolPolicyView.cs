using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Incidents.Features.SchoolPolicies;

/// <summary>What Incidents acts on for one school: SLA hours, calendar and routing contacts, and where they came from.</summary>
public sealed record EffectivePolicy(CalendarSettings Calendar, SlaSettings Sla, RoutingSettings Routing, string Source);

public static class SchoolPolicyView
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How long a replica reuses a school's policy view (every case report reads it).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The school's last published policy, or the catalogue defaults (in the school's time zone) until one arrives;
    /// null when the trust has no such school in its directory. Served from the replica's cache for up to
    /// <see cref="CacheLifetime"/> (a publication consumed by this replica evicts it at once; one consumed by another
    /// replica is seen here within the lifetime, on top of the event's own delivery time); otherwise one query.
    /// </summary>
    public static async Task<EffectivePolicy?> FindAsync(IncidentsDbContext db, TenantReadCache<EffectivePolicy> cache, Guid schoolId, CancellationToken cancellationToken)
    {
        var trustId = db.Tenant.TrustId!.Value;
        if (cache.TryGet(trustId, schoolId, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation(trustId);
        var policy = await ReadAsync(db, schoolId, cancellationToken);
        if (policy is not null)
        {
            // An unknown school is not remembered: it may reach the directory replica a moment later.
            cache.Set(trustId, schoolId, generation, policy);
        }

        return policy;
    }

    private static async Task<EffectivePolicy?> ReadAsync(IncidentsDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var row = await db.Schools.AsNoTracking().Where(s => s.SchoolId == schoolId)
            .Select(s => new { s.TimeZone, Published = db.SchoolPolicies.FirstOrDefault(p => p.SchoolId == schoolId) })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.Published is { } published)
        {
            return new EffectivePolicy(
                JsonSerializer.Deserialize<CalendarSettings>(published.Calendar, Json)!,
                JsonSerializer.Deserialize<SlaSettings>(published.Sla, Json)!,
                JsonSerializer.Deserialize<RoutingSettings>(published.Routing, Json)!,
                $"policy {published.Version}");
        }

        return new EffectivePolicy(PolicyDefaults.Calendar(row.TimeZone), PolicyDefaults.Sla, PolicyDefaults.Routing, "defaults");
    }
}

/// <summary>
/// Keeps the per-school policy view. One atomic upsert: two publications for a school consumed at once cannot both
/// insert, and a late, older publication never replaces a newer one.
/// </summary>
public sealed class PolicyPublishedConsumer(IncidentsDbContext db, TenantReadCache<EffectivePolicy> cache) : InboxConsumer<PolicyPublished, IncidentsDbContext>(db)
{
    protected override async Task HandleAsync(PolicyPublished m, CancellationToken cancellationToken)
    {
        var calendar = JsonSerializer.Serialize(m.Calendar, SchoolPolicyView.Json);
        var sla = JsonSerializer.Serialize(m.Sla, SchoolPolicyView.Json);
        var routing = JsonSerializer.Serialize(m.Routing, SchoolPolicyView.Json);
        await Db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO incidents.school_policies (trust_id, school_id, policy_version_id, version, calendar, sla, routing, published_at)
            VALUES ({m.TrustId}, {m.SchoolId}, {m.PolicyVersionId}, {m.Version}, {calendar}::jsonb, {sla}::jsonb, {routing}::jsonb, {m.OccurredAt})
            ON CONFLICT (trust_id, school_id) DO UPDATE SET
                policy_version_id = excluded.policy_version_id, version = excluded.version, calendar = excluded.calendar,
                sla = excluded.sla, routing = excluded.routing, published_at = excluded.published_at
            WHERE incidents.school_policies.published_at < excluded.published_at
            """, cancellationToken);
    }

    protected override void Committed(PolicyPublished message) => cache.Invalidate(message.TrustId);
}
