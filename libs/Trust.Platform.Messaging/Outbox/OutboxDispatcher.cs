using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Data;

namespace Trust.Platform.Messaging.Outbox;

public sealed class OutboxOptions
{
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// The safety poll: how long the dispatcher sleeps with nothing to do before it looks anyway. Commits wake it at once
    /// (in this process through <see cref="OutboxSignal"/>, in any process through the outbox's NOTIFY, platform 0017), so
    /// this only bounds the wait when a notification was lost with the listening connection (docs/adr/0160).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one publish may wait for the broker's confirm before it counts as failed. The dispatcher stops waiting soon
    /// after even if the publish does not honour its cancellation, so one lost publish cannot hold the whole outbox.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan KeepSentFor { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Delivers outbox rows to RabbitMQ through MassTransit: claims a batch with FOR UPDATE SKIP LOCKED
/// (several replicas share the work), publishes aggregates in parallel but each aggregate's events in
/// order, marks what the broker confirmed and backs off what failed. At-least-once: a crash between
/// publish and commit resends, and consumers' inboxes absorb the duplicate. Time comes from the platform clock and is
/// passed to the claim, mark and purge functions (docs/adr/0007), never read from PostgreSQL's <c>now()</c>: a row's
/// <c>created_at</c>, its backoff and its purge age are all on one clock.
/// </summary>
public sealed class OutboxDispatcher(
    [FromKeyedServices(OutboxDispatcher.DataSourceKey)] NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    OutboxHealth health,
    IOptions<OutboxOptions> options,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>The key of the dispatcher's own data source (ConnectionStrings:Dispatcher, the dispatcher role).</summary>
    public const string DataSourceKey = "outbox-dispatcher";

    public static readonly ActivitySource Source = new("Trust.Platform.Messaging");
    private static readonly Meter Meter = new("Trust.Platform.Messaging");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("outbox.published", description: "Events confirmed by the broker");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("outbox.failed", description: "Publish attempts that failed and will be retried");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("outbox.lag", "ms", "Commit to broker confirm");

    private readonly OutboxOptions _options = options.Value;

    // At most BatchSize publishes wait for their confirm at once, however many batched rows a claim holds (200 rows of
    // 500 events would otherwise start 100,000).
    private readonly SemaphoreSlim _inFlight = new(options.Value.BatchSize, options.Value.BatchSize);
    private readonly string _schema = database.Value.Schema;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    /// <summary>
    /// The earliest retry this dispatcher scheduled that no claim has reached yet: the loop sleeps until then rather than
    /// for the safety poll, so events held back by a broker outage go as soon as their backoff ends.
    /// </summary>
    private DateTimeOffset? _retryDue;

    /// <summary>How long past <see cref="OutboxOptions.PublishTimeout"/> the dispatcher still waits for a publish to honour its cancellation.</summary>
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(1);

    /// <summary>The shortest sleep before a retry (the first backoff is 250 ms): a retry that fell due as a pass ended is not spun on.</summary>
    private static readonly TimeSpan ShortestRetryWait = TimeSpan.FromMilliseconds(100);

    /// <summary>The schema's notification channel (platform 0017): one per schema, so services sharing a database wake only their own.</summary>
    public static string Channel(string schema) => schema + "_outbox";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = ListenAsync(stoppingToken);
        try
        {
            await DispatchLoopAsync(stoppingToken);
        }
        finally
        {
            await listener;
        }
    }

    /// <summary>
    /// Holds one connection that LISTENs on the schema's channel and turns each notification into a wake-up of the loop
    /// below: rows committed by any process (another replica, the seed command, a bulk COPY) are claimed at once, and
    /// an idle dispatcher costs no queries but this connection's liveness check once per poll interval. A lost
    /// connection is opened again with backoff; the loop's safety poll covers the notifications missed meanwhile, and
    /// every (re)connect wakes the loop once for the rows committed while nobody listened.
    /// </summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel(_schema)}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                failures = 0;
                signal.Notify();
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(_options.PollInterval, stoppingToken))
                    {
                        // Nothing heard for a whole interval: prove the connection is alive (a half-open TCP connection
                        // would otherwise wait forever while the safety poll alone delivered).
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                OutboxLog.ListenFailed(logger, _schema, ex);
                await Task.Delay(Backoff(failures), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        var consecutiveErrors = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await DispatchBatchAsync(stoppingToken);
                consecutiveErrors = 0;
                health.Succeeded();
                await PurgeIfDueAsync(stoppingToken);
                // Claim again at once while there was work: a short claim may only mean that an aggregate's later
                // rows waited behind the ones just sent (a bulk unit of work's batched rows share one stream).
                if (claimed == 0)
                {
                    await signal.WaitAsync(QueueWait.Until(_retryDue, time.GetUtcNow(), ShortestRetryWait, _options.PollInterval), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database itself is unreachable: back off and try again; nothing is lost, rows stay pending.
                consecutiveErrors++;
                health.Failed(time.GetUtcNow());
                OutboxLog.DispatchFailed(logger, _schema, ex);
                await Task.Delay(Backoff(consecutiveErrors), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Claims and delivers one batch; returns how many rows it claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<PendingRow>();
        var claimedAt = time.GetUtcNow();
        if (_retryDue <= claimedAt)
        {
            // This claim reaches every retry scheduled so far; those it fails again set the next.
            _retryDue = null;
        }

        await using (var claim = new NpgsqlCommand($"SELECT id, seq, message_type, body::text, headers::text, aggregate_id, attempts FROM {_schema}.outbox_claim($1, $2)", connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = _options.BatchSize });
            claim.Parameters.Add(new NpgsqlParameter { Value = claimedAt });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new PendingRow(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetInt32(6)));
            }
        }

        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var outcomes = await Task.WhenAll(rows.GroupBy(r => r.AggregateId).Select(g => PublishInOrderAsync(g.ToList(), cancellationToken)));
        var sent = outcomes.SelectMany(o => o.Sent).ToArray();
        if (sent.Length > 0)
        {
            await using var markSent = new NpgsqlCommand($"SELECT {_schema}.outbox_mark_sent($1, $2)", connection, transaction);
            markSent.Parameters.Add(new NpgsqlParameter { Value = sent, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            markSent.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            await markSent.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (row, error) in outcomes.Where(o => o.Failure is not null).Select(o => o.Failure!.Value))
        {
            var backoff = Backoff(row.Attempts + 1);
            var failedAt = time.GetUtcNow();
            await using var markFailed = new NpgsqlCommand($"SELECT {_schema}.outbox_mark_failed($1, $2, $3, $4)", connection, transaction);
            markFailed.Parameters.Add(new NpgsqlParameter { Value = row.Id });
            markFailed.Parameters.Add(new NpgsqlParameter { Value = error });
            markFailed.Parameters.Add(new NpgsqlParameter { Value = (int)backoff.TotalMilliseconds });
            markFailed.Parameters.Add(new NpgsqlParameter { Value = failedAt });
            await markFailed.ExecuteNonQueryAsync(cancellationToken);
            if (_retryDue is not { } due || failedAt + backoff < due)
            {
                _retryDue = failedAt + backoff;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private async Task<GroupOutcome> PublishInOrderAsync(List<PendingRow> rows, CancellationToken cancellationToken)
    {
        var sent = new List<Guid>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                await PublishAsync(row, cancellationToken);
                sent.Add(row.Id);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Failed.Add(1);
                OutboxLog.PublishFailed(logger, _schema, row.MessageType, row.Id, row.Attempts + 1, ex.GetType().Name);
                // Later events of this aggregate wait for this one (outbox_claim enforces it too).
                return new GroupOutcome(sent, (row, $"{ex.GetType().Name}: {ex.Message}"));
            }
        }

        return new GroupOutcome(sent, null);
    }

    private async Task PublishAsync(PendingRow row, CancellationToken cancellationToken)
    {
        var parent = TraceParent(row.Headers);
        if (row.MessageType != OutboxBatch.MessageType)
        {
            var type = Resolve(row.MessageType);
            await PublishEventAsync(row.Id, row.Seq, type, JsonSerializer.Deserialize(row.Body, type, OutboxExtensions.SerializerOptions), parent, cancellationToken);
            return;
        }

        // A batched row (OutboxBatch): each aggregate's events in order, different aggregates in parallel. If one
        // publish fails the whole row is retried later; the events already confirmed go again and the consumers'
        // inboxes absorb them (the same at-least-once as a crash between publish and mark).
        using var document = JsonDocument.Parse(row.Body);
        var groups = BatchEnvelope.Read(document.RootElement).GroupBy(e => e.AggregateId, StringComparer.Ordinal);
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = _options.BatchSize, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                foreach (var envelope in group)
                {
                    var type = Resolve(envelope.Type);
                    await PublishEventAsync(envelope.Id, row.Seq, type, envelope.Body.Deserialize(type, OutboxExtensions.SerializerOptions), parent, token);
                }
            });
    }

    /// <summary>The W3C trace context of the unit of work that wrote the row, so the publish continues its trace.</summary>
    private static ActivityContext TraceParent(string headersJson)
    {
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(headersJson, OutboxExtensions.SerializerOptions) ?? [];
        ActivityContext.TryParse(headers.GetValueOrDefault("traceparent"), headers.GetValueOrDefault("tracestate"), out var parent);
        return parent;
    }

    private static Type Resolve(string messageType) =>
        EventTypes.Resolve(messageType) ?? throw new InvalidOperationException($"Unknown event type {messageType}.");

    private async Task PublishEventAsync(Guid messageId, long seq, Type type, object? message, ActivityContext parent, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new InvalidOperationException($"Event {messageId} has an empty body.");
        }

        // Continue the trace of the request that wrote the event; MassTransit's send activity becomes
        // its child and carries traceparent to the consumer.
        using var activity = Source.StartActivity($"outbox dispatch {type.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", messageId);
        activity?.SetTag("trust.outbox.seq", seq);

        await _inFlight.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.PublishTimeout);
            var publish = bus.Publish(message, type, Pipe.Execute<PublishContext>(context => context.MessageId = messageId), timeout.Token);
            try
            {
                // The token asks the publish to give up at the deadline; the dispatcher stops waiting a second later whether
                // or not it did, so a publish that does not listen cannot hold the outbox. A publish abandoned here may still
                // reach the broker: the row is retried, and the consumers' inboxes absorb the copy, as after a crash
                // between publish and mark.
                await publish.WaitAsync(_options.PublishTimeout + AbandonAfter, time, cancellationToken);
            }
            finally
            {
                if (!publish.IsCompleted)
                {
                    // Disposing the source below would also drop its pending CancelAfter: cancel first, so an abandoned
                    // publish is still told to stop (and releases what it holds in the client).
                    await timeout.CancelAsync();
                }
            }
        }
        finally
        {
            _inFlight.Release();
        }

        Published.Add(1);
        if (message is Contracts.IIntegrationEvent integrationEvent)
        {
            Lag.Record((time.GetUtcNow() - integrationEvent.OccurredAt).TotalMilliseconds);
        }
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPurge)
        {
            return;
        }

        _nextPurge = now.AddHours(1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var purge = new NpgsqlCommand($"SELECT {_schema}.outbox_purge($1, $2)", connection);
        purge.Parameters.Add(new NpgsqlParameter { Value = _options.KeepSentFor });
        purge.Parameters.Add(new NpgsqlParameter { Value = now });
        await purge.ExecuteNonQueryAsync(cancellationToken);
    }

    private TimeSpan Backoff(int attempt)
    {
        var milliseconds = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(attempt - 1, 16)));
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private sealed record PendingRow(Guid Id, long Seq, string MessageType, string Body, string Headers, string AggregateId, int Attempts);

    private sealed record GroupOutcome(List<Guid> Sent, (PendingRow Row, string Error)? Failure);
}

internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Outbox publish in {Schema} of {MessageType} {MessageId} failed (attempt {Attempt}, {ErrorType}); it will be retried")]
    public static partial void PublishFailed(ILogger logger, string schema, string messageType, Guid messageId, int attempt, string errorType);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Outbox dispatch for schema {Schema} failed; retrying")]
    public static partial void DispatchFailed(ILogger logger, string schema, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Outbox listener for schema {Schema} lost its connection; listening again (the safety poll delivers meanwhile)")]
    public static partial void ListenFailed(ILogger logger, string schema, Exception exception);
}
