using MassTransit;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.TestSupport;

/// <summary>
/// A consumer of SchoolAdded on its own bus whose effect is one row per applied event in
/// <c>fx.effects</c> (with the event's occurred-at and the time it was applied), behind the platform's
/// inbox claim. A duplicate that got through the inbox would show as a second row.
/// </summary>
public sealed class CountingProbe : IAsyncDisposable
{
    private CountingProbe(IBusControl bus, NpgsqlDataSource app, NpgsqlDataSource owner)
    {
        Bus = bus;
        App = app;
        Owner = owner;
    }

    public IBusControl Bus { get; }

    public NpgsqlDataSource App { get; }

    public NpgsqlDataSource Owner { get; }

    public const string QueueName = "it-counting";

    public static async Task<CountingProbe> StartAsync(TestServers servers)
    {
        var app = NpgsqlDataSource.Create(servers.Database.AppConnectionString);
        var owner = NpgsqlDataSource.Create(servers.Database.OwnerConnectionString);
        await using (var command = owner.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS fx;
            GRANT USAGE ON SCHEMA fx TO {TestEnvironment.AppRole};
            CREATE TABLE IF NOT EXISTS fx.inbox_messages (message_id uuid NOT NULL, consumer text NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (message_id, consumer));
            CREATE TABLE IF NOT EXISTS fx.effects (event_id uuid NOT NULL, school_id uuid NOT NULL, occurred_at timestamptz NOT NULL, applied_at timestamptz NOT NULL, message_id uuid NULL);
            GRANT SELECT, INSERT ON fx.inbox_messages, fx.effects TO {TestEnvironment.AppRole};
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestEnvironment.RabbitHost, (ushort)TestEnvironment.RabbitPort, servers.VirtualHost.Name, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            });
            cfg.UseMessageRetry(r => r.Interval(20, TimeSpan.FromMilliseconds(500)));
            cfg.ReceiveEndpoint(QueueName, e =>
            {
                e.PrefetchCount = 64;
                e.Consumer(() => new CountingConsumer(app));
            });
        });
        await bus.StartAsync();
        return new CountingProbe(bus, app, owner);
    }

    public async Task<long> CountAsync(IEnumerable<Guid>? schools = null)
    {
        await using var command = Owner.CreateCommand(schools is null
            ? "SELECT count(*) FROM fx.effects"
            : "SELECT count(*) FROM fx.effects WHERE school_id = ANY($1)");
        if (schools is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schools.ToArray() });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Milliseconds from each event's occurred-at (just before its commit) to its effect.</summary>
    public async Task<List<double>> LatenciesAsync(IEnumerable<Guid> schools)
    {
        await using var command = Owner.CreateCommand(
            "SELECT extract(epoch FROM (applied_at - occurred_at)) * 1000 FROM fx.effects WHERE school_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = schools.ToArray() });
        var result = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(Convert.ToDouble(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.StopAsync();
        await App.DisposeAsync();
        await Owner.DisposeAsync();
    }

    private sealed class CountingConsumer(NpgsqlDataSource dataSource) : IConsumer<SchoolAdded>
    {
        public async Task Consume(ConsumeContext<SchoolAdded> context)
        {
            await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
            if (await InboxClaim.TryClaimAsync(connection, transaction, "fx", context.Message.EventId, nameof(CountingConsumer), context.CancellationToken))
            {
                // applied_at on the services' clock, like occurred_at, so that the latency is right when the run shifts it.
                await using var insert = new NpgsqlCommand("INSERT INTO fx.effects (event_id, school_id, occurred_at, message_id, applied_at) VALUES ($1, $2, $3, $4, $5)", connection, transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = context.Message.EventId });
                insert.Parameters.Add(new NpgsqlParameter { Value = context.Message.SchoolId });
                insert.Parameters.Add(new NpgsqlParameter { Value = context.Message.OccurredAt });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)context.MessageId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
                insert.Parameters.Add(new NpgsqlParameter { Value = TestClock.Now });
                await insert.ExecuteNonQueryAsync(context.CancellationToken);
            }

            await transaction.CommitAsync(context.CancellationToken);
        }
    }
}
