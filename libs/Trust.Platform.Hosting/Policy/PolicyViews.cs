using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Hosting.Policy;

/// <summary>
/// A service's copy of each school's published policy: the latest <see cref="PolicyPublished"/> whole, in the platform
/// table <c>{schema}.published_policies</c> (tenant-scoped like every other). Every service keeps it the same way and reads
/// the parts it needs from the one contract record, so the copies cannot drift apart in shape.
/// </summary>
public static class PolicyViews
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stores <paramref name="message"/> unless a publication at least as recent is already there; true when stored.</summary>
    public static async Task<bool> ReplaceIfNewerAsync(TenantDbContext db, PolicyPublished message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(message, Json);
        var schema = db.Model.GetDefaultSchema();
        // One atomic upsert: two publications for a school consumed at once cannot both insert, and an older one never wins.
#pragma warning disable EF1002 // the schema is the model's own identifier; every value is a parameter
        var stored = await db.Database.ExecuteSqlRawAsync($$"""
            INSERT INTO {{schema}}.published_policies (trust_id, school_id, policy_version_id, version, published_at, message)
            VALUES ({0}, {1}, {2}, {3}, {4}, {5}::jsonb)
            ON CONFLICT (trust_id, school_id) DO UPDATE SET
                policy_version_id = excluded.policy_version_id, version = excluded.version,
                published_at = excluded.published_at, message = excluded.message
            WHERE {{schema}}.published_policies.published_at < excluded.published_at
            """, [message.TrustId, message.SchoolId, message.PolicyVersionId, message.Version, message.OccurredAt, body], cancellationToken);
#pragma warning restore EF1002
        return stored == 1;
    }

    /// <summary>The school's latest publication, or null before the first one reached this service.</summary>
    public static async Task<PolicyPublished?> FindAsync(TenantDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var schema = db.Model.GetDefaultSchema();
#pragma warning disable EF1002
        var bodies = await db.Database.SqlQueryRaw<string>(
            $"SELECT message::text AS \"Value\" FROM {schema}.published_policies WHERE school_id = {{0}}", schoolId).ToListAsync(cancellationToken);
#pragma warning restore EF1002
        return bodies.Count == 0 ? null : JsonSerializer.Deserialize<PolicyPublished>(bodies[0], Json);
    }
}

/// <summary>
/// The one consumer shape for <see cref="PolicyPublished"/>: the view is replaced when the publication is newer, then the
/// service reacts in <see cref="AppliedAsync"/> (reassess accounts, recompute due dates...), in the same transaction.
/// </summary>
public abstract class PolicyViewConsumer<TContext>(TContext db) : InboxConsumer<PolicyPublished, TContext>(db)
    where TContext : TenantDbContext
{
    protected sealed override async Task HandleAsync(PolicyPublished message, CancellationToken cancellationToken)
    {
        if (await PolicyViews.ReplaceIfNewerAsync(Db, message, cancellationToken))
        {
            await AppliedAsync(message, cancellationToken);
        }
    }

    /// <summary>What the service does with a publication newer than the one it had; nothing by default.</summary>
    protected virtual Task AppliedAsync(PolicyPublished message, CancellationToken cancellationToken) => Task.CompletedTask;
}
