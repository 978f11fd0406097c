using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Training.Infrastructure;

/// <summary>
/// Writes the outbox rows that <c>db.AddEvent</c> prepared in one set-based INSERT on the context's own
/// connection and transaction, instead of one EF insert per event: a 10,000-person sync emits
/// 10,000 events. The rows are exactly what AddEvent built (same id, type name, body, trace headers);
/// only the write is batched. They commit with the business rows or not at all.
/// </summary>
public static class BulkOutbox
{
    public static async Task<int> FlushAsync(TrainingDbContext db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var entries = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).ToList();
        if (entries.Count == 0)
        {
            return 0;
        }

        var rows = entries.Select(e => e.Entity).ToList();
        foreach (var entry in entries)
        {
            entry.State = EntityState.Detached;
        }

        await using var command = new NpgsqlCommand($"""
            INSERT INTO {TrainingDbContext.Schema}.outbox_messages (id, message_type, body, headers, aggregate_id, created_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[], $5::text[], $6::timestamptz[])
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.MessageType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Headers).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.AggregateId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.CreatedAt).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
