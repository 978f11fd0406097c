using System.Buffers;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Messaging.Outbox;

/// <summary>
/// The events of a bulk unit of work (a 10,000-person roster sync emits up to 10,000), written as a few outbox rows
/// that each carry up to <see cref="EventsPerRow"/> events, with one binary COPY on the caller's connection inside
/// its transaction, so they commit with the business rows or not at all (docs/adr/0002, "Batched rows").
/// <para>
/// Every event is added with its own aggregate id and to a <em>stream</em>: the rows of one stream are written in
/// order and share it as their <c>aggregate_id</c>, so the claim delivers them in order; inside a row the
/// dispatcher publishes each aggregate's events in order and different aggregates in parallel. Each event keeps
/// its own message id (its event id), type and JSON body, exactly as <c>db.AddEvent</c> would write it; consumers
/// see no difference. The stream must cover every event of its aggregates (roster events of a school go to that
/// school's stream and nowhere else), or order across units of work is lost.
/// </para>
/// One row per event cost a third of a 10,000-person sync (COPYing 10,000 rows and their index entries); a row of
/// 500 events is one JSON array, compressed once.
/// </summary>
public sealed class OutboxBatch(TenantContext tenant, string schema)
{
    /// <summary>The <c>message_type</c> of a batched row; no event contract has this name (contracts use full type names).</summary>
    public const string MessageType = "batch";

    public const int EventsPerRow = 500;

    private readonly Dictionary<string, OpenRow> _open = new(StringComparer.Ordinal);
    private readonly List<(string Stream, string Body)> _rows = [];

    /// <summary>How many events were added and not yet written.</summary>
    public int Count { get; private set; }

    public void Add<TEvent>(TEvent integrationEvent, string aggregateId, string stream)
        where TEvent : class, IIntegrationEvent
    {
        ArgumentException.ThrowIfNullOrEmpty(aggregateId);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        if (tenant.TrustId != integrationEvent.TrustId)
        {
            throw new TenantMismatchException($"A {typeof(TEvent).Name} for another trust was written in this scope.");
        }

        if (!_open.TryGetValue(stream, out var row))
        {
            row = new OpenRow();
            _open[stream] = row;
        }

        var writer = row.Writer;
        writer.WriteStartObject();
        writer.WriteString(BatchEnvelope.IdName, integrationEvent.EventId);
        writer.WriteString(BatchEnvelope.TypeName, EventTypes.NameOf(typeof(TEvent)));
        writer.WriteString(BatchEnvelope.AggregateIdName, aggregateId);
        writer.WritePropertyName(BatchEnvelope.BodyName);
        JsonSerializer.Serialize(writer, integrationEvent, OutboxExtensions.SerializerOptions);
        writer.WriteEndObject();
        Count++;
        if (++row.Events == EventsPerRow)
        {
            _rows.Add((stream, row.Close()));
            _open.Remove(stream);
        }
    }

    /// <summary>Writes the batched rows on <paramref name="connection"/> (in the caller's transaction); the batch is empty afterwards.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Full rows first (in the order they filled), then each stream's last, partial row: a stream's rows stay in order.
        foreach (var (stream, row) in _open)
        {
            _rows.Add((stream, row.Close()));
        }

        _open.Clear();
        if (_rows.Count == 0)
        {
            return;
        }

        // The trace context of the unit of work, the same for every row of the batch.
        var headers = OutboxExtensions.CurrentTraceHeaders();
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.outbox_messages (id, message_type, body, headers, aggregate_id, created_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var (stream, body) in _rows)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(MessageType, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(body, NpgsqlDbType.Json, cancellationToken);
                await writer.WriteAsync(headers, NpgsqlDbType.Json, cancellationToken);
                await writer.WriteAsync(stream, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        _rows.Clear();
        Count = 0;
    }

    private sealed class OpenRow
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

        public OpenRow()
        {
            Writer = new Utf8JsonWriter(_buffer);
            Writer.WriteStartArray();
        }

        public Utf8JsonWriter Writer { get; }

        public int Events { get; set; }

        public string Close()
        {
            Writer.WriteEndArray();
            Writer.Flush();
            Writer.Dispose();
            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }
    }
}

/// <summary>One event inside a batched outbox row: <c>{"id", "type", "aggregateId", "body"}</c>.</summary>
public sealed record BatchEnvelope(Guid Id, string Type, string AggregateId, JsonElement Body)
{
    internal const string IdName = "id";
    internal const string TypeName = "type";
    internal const string AggregateIdName = "aggregateId";
    internal const string BodyName = "body";

    /// <summary>The events of a batched row's body, in the order they were added.</summary>
    public static List<BatchEnvelope> Read(JsonElement body)
    {
        var events = new List<BatchEnvelope>(body.GetArrayLength());
        foreach (var item in body.EnumerateArray())
        {
            events.Add(new BatchEnvelope(item.GetProperty(IdName).GetGuid(), item.GetProperty(TypeName).GetString()!,
                item.GetProperty(AggregateIdName).GetString()!, item.GetProperty(BodyName)));
        }

        return events;
    }
}
