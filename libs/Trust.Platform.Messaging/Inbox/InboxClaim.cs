using Npgsql;

namespace Trust.Platform.Messaging.Inbox;

/// <summary>The inbox claim for consumers that write with Npgsql directly rather than through EF Core.</summary>
public static class InboxClaim
{
    /// <summary>True when this (event, consumer) pair is new and its effect should be applied in <paramref name="transaction"/>.</summary>
    /// <remarks>received_at takes the database's now() (an audit column nothing compares; docs/adr/0007).</remarks>
    public static async Task<bool> TryClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, Guid eventId, string consumer, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {schema}.inbox_messages (message_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
