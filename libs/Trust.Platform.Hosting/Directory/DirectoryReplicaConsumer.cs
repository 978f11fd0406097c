using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Contracts;
using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Hosting.Directory;

/// <summary>
/// Keeps a service's copy of what Policy owns: the school directory and the API keys (hashes only),
/// so that every service authenticates keys and knows schools without calling Policy. Idempotent through
/// the inbox; acts for the trust named in each event.
/// </summary>
public sealed class DirectoryReplicaConsumer(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, ApiKeyCache keys) :
    IConsumer<SchoolAdded>, IConsumer<SchoolUpdated>, IConsumer<ApiKeyIssued>, IConsumer<ApiKeyRevoked>
{
    private const string Name = nameof(DirectoryReplicaConsumer);
    private string Schema => database.Value.Schema;

    public Task Consume(ConsumeContext<SchoolAdded> context)
    {
        var m = context.Message;
        return ApplyAsync(m, context.CancellationToken, (c, t) => UpsertSchoolAsync(c, t, m.TrustId, m.SchoolId, m.Name, m.Urn, m.Phase, m.LocalAuthority, m.TimeZone, m.Version, m.OccurredAt, context.CancellationToken));
    }

    public Task Consume(ConsumeContext<SchoolUpdated> context)
    {
        var m = context.Message;
        return ApplyAsync(m, context.CancellationToken, (c, t) => UpsertSchoolAsync(c, t, m.TrustId, m.SchoolId, m.Name, m.Urn, m.Phase, m.LocalAuthority, m.TimeZone, m.Version, m.OccurredAt, context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<ApiKeyIssued> context)
    {
        var m = context.Message;
        var key = new ApiKeyState(m.KeyId, m.TrustId, m.Name, m.Prefix, m.Hash, m.Scopes, m.SchoolIds, m.RateLimitPerMinute, m.OccurredAt, m.ExpiresAt, null);
        if (await ApplyAsync(m, context.CancellationToken, (c, t) => ApiKeyReplica.IssuedAsync(c, t, Schema, key, context.CancellationToken)))
        {
            // Someone may have tried the key before this event came: it works from now on, not when "unknown" expires.
            keys.Forget(m.Prefix);
        }
    }

    public async Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        var m = context.Message;
        if (await ApplyAsync(m, context.CancellationToken, (c, t) => ApiKeyReplica.RevokedAsync(c, t, Schema, m.TrustId, m.KeyId, m.RevokedAt, context.CancellationToken)))
        {
            keys.ForgetKey(m.KeyId);
        }
    }

    /// <summary>Applies the effect once (inbox claim in the same transaction); true when it was applied and committed now.</summary>
    private async Task<bool> ApplyAsync(IIntegrationEvent message, CancellationToken cancellationToken, Func<NpgsqlConnection, NpgsqlTransaction, Task> effect)
    {
        await using var connection = await TenantSession.OpenAsync(dataSource, message.TrustId, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await InboxClaim.TryClaimAsync(connection, transaction, Schema, message.EventId, Name, cancellationToken);
        if (claimed)
        {
            await effect(connection, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task UpsertSchoolAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid trustId, Guid schoolId, string name, string urn, string phase,
        string? localAuthority, string timeZone, int version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {Schema}.school_directory (trust_id, school_id, name, urn, phase, local_authority, time_zone, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (trust_id, school_id) DO UPDATE SET
                name = excluded.name, urn = excluded.urn, phase = excluded.phase, local_authority = excluded.local_authority,
                time_zone = excluded.time_zone, version = excluded.version, updated_at = excluded.updated_at
            WHERE {Schema}.school_directory.version < excluded.version
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = trustId });
        command.Parameters.Add(new NpgsqlParameter { Value = schoolId });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = urn });
        command.Parameters.Add(new NpgsqlParameter { Value = phase });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)localAuthority ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = timeZone });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A row of a service's local school directory.</summary>
public sealed class DirectorySchool : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public string Name { get; set; } = "";

    public string Urn { get; set; } = "";

    public string Phase { get; set; } = "";

    public string? LocalAuthority { get; set; }

    public string TimeZone { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
