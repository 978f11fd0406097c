using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Messaging;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>
/// Platform 0017 on a real PostgreSQL: every way the app role writes outbox rows (an INSERT of a unit of work, a COPY of
/// OutboxBatch) notifies the schema's channel when it commits, so the dispatchers of every process wake without polling.
/// </summary>
public sealed class OutboxNotifyTests : IAsyncLifetime
{
    private const string Schema = "notifybox";
    private TestDatabase _database = null!;
    private NpgsqlConnection _listener = null!;
    private readonly List<string> _heard = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("outboxnotify");
        await new MigrationRunner(_database.OwnerConnectionString, Schema, TestEnvironment.AppRole, NullLogger.Instance).ApplyAsync(MessagingExtensions.Migrations);
        // The dispatcher's own login listens, as OutboxDispatcher does.
        _listener = new NpgsqlConnection(_database.DispatcherConnectionString);
        await _listener.OpenAsync();
        _listener.Notification += (_, e) =>
        {
            lock (_heard)
            {
                _heard.Add(e.Channel);
            }
        };
        await using var listen = new NpgsqlCommand($"LISTEN {OutboxDispatcher.Channel(Schema)}", _listener);
        await listen.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _database.DisposeAsync();
    }

    private int Heard()
    {
        lock (_heard)
        {
            return _heard.Count;
        }
    }

    /// <summary>Reads whatever notifications have arrived (Npgsql delivers them while the connection waits).</summary>
    private async Task<int> HeardAfterAsync(TimeSpan wait)
    {
        await _listener.WaitAsync(wait);
        return Heard();
    }

    private async Task<NpgsqlConnection> AppAsync()
    {
        var connection = new NpgsqlConnection(_database.AppConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static NpgsqlCommand Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, int rows) =>
        new($"INSERT INTO {Schema}.outbox_messages (id, message_type, body, aggregate_id, created_at) SELECT gen_random_uuid(), 't', '{{}}', 'a' || g, now() FROM generate_series(1, {rows}) g", connection, transaction);

    [Fact]
    public async Task An_outbox_insert_notifies_the_schemas_channel_once_when_it_commits_and_not_before()
    {
        await using var app = await AppAsync();
        await using var transaction = await app.BeginTransactionAsync();
        await using (var insert = Insert(app, transaction, 50))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await using (var again = Insert(app, transaction, 1))
        {
            await again.ExecuteNonQueryAsync();
        }

        (await HeardAfterAsync(TimeSpan.FromMilliseconds(300))).Should().Be(0, "a notification is delivered at commit, and uncommitted rows cannot be claimed yet");
        await transaction.CommitAsync();

        await Eventually.Until(() => HeardAfterAsync(TimeSpan.FromMilliseconds(100)), n => n > 0, TimeSpan.FromSeconds(5));
        (await HeardAfterAsync(TimeSpan.FromMilliseconds(300))).Should().Be(1, "one transaction's notifications fold into one, however many rows and statements it wrote");
        _heard.Should().Equal(OutboxDispatcher.Channel(Schema));
    }

    [Fact]
    public async Task An_outbox_copy_notifies_when_it_commits()
    {
        await using var app = await AppAsync();
        await using var transaction = await app.BeginTransactionAsync();
        // OutboxBatch writes its rows with a binary COPY: a statement trigger fires for it as for an INSERT.
        await using (var copy = await app.BeginBinaryImportAsync($"COPY {Schema}.outbox_messages (id, message_type, body, aggregate_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < 3; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlTypes.NpgsqlDbType.Uuid);
                await copy.WriteAsync("t", NpgsqlTypes.NpgsqlDbType.Text);
                await copy.WriteAsync("{}", NpgsqlTypes.NpgsqlDbType.Json);
                await copy.WriteAsync($"batch-{i}", NpgsqlTypes.NpgsqlDbType.Text);
                await copy.WriteAsync(TestClock.Now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        await transaction.CommitAsync();
        await Eventually.Until(() => HeardAfterAsync(TimeSpan.FromMilliseconds(100)), n => n > 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_rolled_back_outbox_insert_notifies_nobody()
    {
        await using var app = await AppAsync();
        await using (var transaction = await app.BeginTransactionAsync())
        {
            await using var insert = Insert(app, transaction, 5);
            await insert.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }

        // A later commit is heard, so the silence before it was not a deaf listener.
        (await HeardAfterAsync(TimeSpan.FromMilliseconds(500))).Should().Be(0);
        await using (var transaction = await app.BeginTransactionAsync())
        {
            await using var insert = Insert(app, transaction, 1);
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await Eventually.Until(() => HeardAfterAsync(TimeSpan.FromMilliseconds(100)), n => n > 0, TimeSpan.FromSeconds(5));
        Heard().Should().Be(1);
    }
}
