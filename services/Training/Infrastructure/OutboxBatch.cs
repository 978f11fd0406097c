using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Training.Infrastructure;

/// <summary>
/// Outbox rows for a bulk unit of work (a 10,000-person roster sync emits up to 10,000 events), written
/// with one binary COPY on the caller's connection inside its transaction, so they commit with the
/// business rows or not at all. Each row is built exactly as <c>db.AddEvent</c> builds it (event id as
/// message id, the contract's type name, web-default JSON body, W3C trace headers, aggregate id); only
/// the EF change tracker is skipped, which cost more than the SQL at this size. The outbox has no RLS
/// and the app role may INSERT (so COPY) into it; committing through the DbContext wakes the dispatcher.
/// </summary>
public sealed class OutboxBatch(TenantContext tenant)
{
    private readonly List<OutboxMessage> _rows = [];

    public int Count => _rows.Count;

    public void Add<TEvent>(TEvent integrationEvent, string aggregateId, DateTimeOffset now)
        where TEvent : class, IIntegrationEvent
    {
        ArgumentException.ThrowIfNullOrEmpty(aggregateId);
        if (tenant.TrustId != integrationEvent.TrustId)
        {
            throw new TenantMismatchException($"A {typeof(TEvent).Name} for another trust was written in this scope.");
        }

        _rows.Add(new OutboxMessage
        {
            Id = integrationEvent.EventId,
            MessageType = EventTypes.NameOf(typeof(TEvent)),
            Body = JsonSerializer.Serialize(integrationEvent, JsonSerializerOptions.Web),
            Headers = TraceHeaders,
            AggregateId = aggregateId,
            CreatedAt = now,
        });
    }

    /// <summary>The trace context of the unit of work, the same for every row of the batch.</summary>
    private string TraceHeaders { get; } = JsonSerializer.Serialize(Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity
        ? activity.TraceStateString is { Length: > 0 } state
            ? new Dictionary<string, string> { ["traceparent"] = activity.Id!, ["tracestate"] = state }
            : new Dictionary<string, string> { ["traceparent"] = activity.Id! }
        : [], JsonSerializerOptions.Web);

    public async Task WriteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {TrainingDbContext.Schema}.outbox_messages (id, message_type, body, headers, aggregate_id, created_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var row in _rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(row.MessageType, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.Body, NpgsqlDbType.Json, cancellationToken);
            await writer.WriteAsync(row.Headers, NpgsqlDbType.Json, cancellationToken);
            await writer.WriteAsync(row.AggregateId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        _rows.Clear();
    }
}
