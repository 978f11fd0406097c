using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Hosting.Policy;

namespace Trust.Platform.Incidents.Features.SchoolPolicies;

/// <summary>What Incidents acts on for one school: SLA hours, calendar and routing contacts, and where they came from.</summary>
[NJsonSchema.Annotations.JsonSchemaProcessor(typeof(Trust.Platform.Hosting.Endpoints.TypedNullableReferences))]
public sealed record EffectivePolicy(CalendarSettings Calendar, SlaSettings Sla, RoutingSettings Routing, string Source);

public static class SchoolPolicyView
{
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
        var timeZone = await db.Schools.AsNoTracking().Where(s => s.SchoolId == schoolId).Select(s => s.TimeZone).FirstOrDefaultAsync(cancellationToken);
        if (timeZone is null)
        {
            return null;
        }

        return await PolicyViews.FindAsync(db, schoolId, cancellationToken) is { } published
            ? new EffectivePolicy(published.Calendar, published.Sla, published.Routing, $"policy {published.Version}")
            : new EffectivePolicy(PolicyDefaults.Calendar(timeZone), PolicyDefaults.Sla, PolicyDefaults.Routing, "defaults");
    }
}

/// <summary>Keeps the school's published policy (the platform's policy view); this replica's cached view is evicted at once.</summary>
public sealed class PolicyPublishedConsumer(IncidentsDbContext db, TenantReadCache<EffectivePolicy> cache) : PolicyViewConsumer<IncidentsDbContext>(db)
{
    protected override string ConsumerName => nameof(PolicyPublishedConsumer);

    protected override void Committed(PolicyPublished message) => cache.Invalidate(message.TrustId);
}
