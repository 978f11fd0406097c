using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Messaging;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>
/// The outbox's functions belong to the dispatcher role: the app role (the request path) writes events but can
/// neither claim, mark nor purge them, and the dispatcher role can do nothing else.
/// </summary>
public sealed class OutboxRoleTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("outboxroles");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<IReadOnlyList<string>> MigrateAsync(string schema, IEnumerable<MigrationScript> scripts) =>
        new MigrationRunner(_database.OwnerConnectionString, schema, TestEnvironment.AppRole, NullLogger.Instance, TestEnvironment.DispatcherRole)
            .ApplyAsync(scripts);

    private static async Task<object?> ExecuteAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync();
    }

    private async Task<Guid> WriteEventAsAppAsync(string schema)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync(_database.AppConnectionString,
            $"INSERT INTO {schema}.outbox_messages (id, message_type, body, aggregate_id, created_at) VALUES ($1, 'Test', '{{}}', 'aggregate', $2)", id, TestClock.Now);
        return id;
    }

    private static async Task ShouldBeRefusedAsync(string connectionString, string sql, params object[] parameters)
    {
        var act = () => ExecuteAsync(connectionString, sql, parameters);
        (await act.Should().ThrowAsync<PostgresException>(sql)).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, sql);
    }

    [Fact]
    public async Task The_app_role_writes_events_but_cannot_claim_mark_or_purge_them()
    {
        await MigrateAsync("fresh", MessagingExtensions.Migrations);
        var id = await WriteEventAsAppAsync("fresh");

        await ShouldBeRefusedAsync(_database.AppConnectionString, "SELECT count(*) FROM fresh.outbox_claim(10, $1)", TestClock.Now);
        await ShouldBeRefusedAsync(_database.AppConnectionString, "SELECT fresh.outbox_mark_sent($1, $2)", new[] { id }, TestClock.Now);
        await ShouldBeRefusedAsync(_database.AppConnectionString, "SELECT fresh.outbox_mark_failed($1, 'x', 1000, $2)", id, TestClock.Now);
        await ShouldBeRefusedAsync(_database.AppConnectionString, "SELECT fresh.outbox_purge($1, $2)", TimeSpan.Zero, TestClock.Now);
    }

    [Fact]
    public async Task The_dispatcher_role_claims_and_marks_what_the_app_role_wrote()
    {
        await MigrateAsync("dispatched", MessagingExtensions.Migrations);
        var id = await WriteEventAsAppAsync("dispatched");

        await using (var connection = new NpgsqlConnection(_database.DispatcherConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var claim = new NpgsqlCommand("SELECT id FROM dispatched.outbox_claim(10, $1)", connection, transaction))
            {
                claim.Parameters.Add(new NpgsqlParameter { Value = TestClock.Now });
                (await claim.ExecuteScalarAsync()).Should().Be(id);
            }

            await using (var markSent = new NpgsqlCommand("SELECT dispatched.outbox_mark_sent($1, $2)", connection, transaction))
            {
                markSent.Parameters.Add(new NpgsqlParameter { Value = new[] { id } });
                markSent.Parameters.Add(new NpgsqlParameter { Value = TestClock.Now });
                await markSent.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        (await ExecuteAsync(_database.DispatcherConnectionString, "SELECT count(*) FROM dispatched.outbox_claim(10, $1)", TestClock.Now)).Should().Be(0L);
        (await ExecuteAsync(_database.DispatcherConnectionString, "SELECT dispatched.outbox_purge($1, $2)", TimeSpan.Zero, TestClock.Now)).Should().Be(1);
    }

    [Fact]
    public async Task The_dispatcher_role_has_no_rights_on_the_tables_themselves()
    {
        await MigrateAsync("tables", MessagingExtensions.Migrations);
        await WriteEventAsAppAsync("tables");

        await ShouldBeRefusedAsync(_database.DispatcherConnectionString, "SELECT count(*) FROM tables.outbox_messages");
        await ShouldBeRefusedAsync(_database.DispatcherConnectionString, "UPDATE tables.outbox_messages SET sent_at = now()");
        await ShouldBeRefusedAsync(_database.DispatcherConnectionString,
            "INSERT INTO tables.outbox_messages (id, message_type, body, aggregate_id, created_at) VALUES (gen_random_uuid(), 'Forged', '{}', 'x', $1)", TestClock.Now);
        await ShouldBeRefusedAsync(_database.DispatcherConnectionString, "SELECT count(*) FROM tables.inbox_messages");
    }

    [Fact]
    public async Task A_schema_migrated_before_the_dispatcher_role_existed_is_upgraded_in_place()
    {
        var before = MessagingExtensions.Migrations.Where(s => string.CompareOrdinal(s.Name, "0006") < 0).ToList();
        before.Should().NotBeEmpty();
        await MigrateAsync("upgraded", before);
        var id = await WriteEventAsAppAsync("upgraded");

        (await MigrateAsync("upgraded", MessagingExtensions.Migrations)).Should().NotBeEmpty("the new migrations apply on top of the old functions");

        await ShouldBeRefusedAsync(_database.AppConnectionString, "SELECT count(*) FROM upgraded.outbox_claim(10, $1)", TestClock.Now);
        await using var connection = new NpgsqlConnection(_database.DispatcherConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var claim = new NpgsqlCommand("SELECT id FROM upgraded.outbox_claim(10, $1)", connection, transaction);
        claim.Parameters.Add(new NpgsqlParameter { Value = TestClock.Now });
        (await claim.ExecuteScalarAsync()).Should().Be(id, "the row written before the upgrade is delivered by the dispatcher role");
    }
}
