using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Messaging;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>
/// The outbox functions on a real PostgreSQL run by the clock the dispatcher passes them (platform 0007, docs/adr/0007),
/// not by the database's: a dispatcher whose clock is 25 years behind the server's still sends, backs off and purges.
/// </summary>
public sealed class OutboxClockTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("outboxclock");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static readonly DateTimeOffset Past = new(2001, 9, 3, 9, 0, 0, TimeSpan.Zero);

    private MigrationRunner Runner(string schema) => new(_database.OwnerConnectionString, schema, TestEnvironment.AppRole, NullLogger.Instance);

    // As the owner, which owns the functions: who else may call them is another migration's business (tested below).
    private async Task<NpgsqlCommand> CommandAsync(string sql, object[] args)
    {
        var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(arg is Guid[] ids ? new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid } : new NpgsqlParameter { Value = arg });
        }

        return command;
    }

    private async Task ExecAsync(string sql, params object[] args)
    {
        await using var command = await CommandAsync(sql, args);
        await using var connection = command.Connection;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<Guid>> IdsAsync(string sql, params object[] args)
    {
        await using var command = await CommandAsync(sql, args);
        await using var connection = command.Connection;
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    [Fact]
    public async Task The_outbox_claims_backs_off_and_purges_by_the_dispatchers_clock_not_the_databases()
    {
        await Runner("clockbox").ApplyAsync(MessagingExtensions.Migrations);
        var id = Guid.CreateVersion7(Past);
        await ExecAsync("INSERT INTO clockbox.outbox_messages (id, message_type, body, aggregate_id, created_at) VALUES ($1, 't', '{}', 'a', $2)", id, Past);

        (await IdsAsync("SELECT id FROM clockbox.outbox_claim(10, $1)", Past)).Should().Equal([id], "a new row is due at once, whatever either clock says");

        await ExecAsync("SELECT clockbox.outbox_mark_failed($1, 'broker down', 60000, $2)", id, Past);
        (await IdsAsync("SELECT id FROM clockbox.outbox_claim(10, $1)", Past.AddSeconds(30))).Should().BeEmpty("the backoff runs from the dispatcher's clock");
        (await IdsAsync("SELECT id FROM clockbox.outbox_claim(10, $1)", Past.AddSeconds(61))).Should().Equal([id]);

        await ExecAsync("SELECT clockbox.outbox_mark_sent($1, $2)", new[] { id }, Past.AddSeconds(61));
        (await IdsAsync("SELECT id FROM clockbox.outbox_events WHERE sent_at = $1", Past.AddSeconds(61))).Should().Equal([id]);
        await ExecAsync("SELECT clockbox.outbox_purge(interval '7 days', $1)", Past.AddDays(6));
        (await IdsAsync("SELECT id FROM clockbox.outbox_events")).Should().Equal([id], "kept for 7 days by the dispatcher's clock");
        await ExecAsync("SELECT clockbox.outbox_purge(interval '7 days', $1)", Past.AddDays(8));
        (await IdsAsync("SELECT id FROM clockbox.outbox_events")).Should().BeEmpty();
    }

    [Fact]
    public async Task The_clock_migration_leaves_the_outbox_functions_to_exactly_the_roles_that_could_call_the_ones_it_replaces()
    {
        var scripts = MessagingExtensions.Migrations;
        await Runner("grants").ApplyAsync(scripts.Where(s => string.CompareOrdinal(s.Name, "0009") < 0));
        var before = await GranteesAsync("grants.outbox_claim(int)");
        before.Should().NotBeEmpty();

        await Runner("grants").ApplyAsync(scripts);

        foreach (var function in new[] { "outbox_claim(int, timestamptz)", "outbox_mark_sent(uuid[], timestamptz)", "outbox_mark_failed(uuid, text, int, timestamptz)", "outbox_purge(interval, timestamptz)" })
        {
            (await GranteesAsync("grants." + function)).Should().BeEquivalentTo(before, function);
        }
    }

    private async Task<List<string>> GranteesAsync(string function)
    {
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
            FROM pg_proc p CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
            WHERE p.oid = $1::regprocedure AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = function });
        var grantees = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            grantees.Add(reader.GetString(0));
        }

        return grantees;
    }
}
