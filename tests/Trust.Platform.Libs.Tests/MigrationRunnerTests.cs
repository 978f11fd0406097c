using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Trust.Platform.Data.Migrations;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>The SQL migration runner against a real PostgreSQL: journal, checksums, advisory lock.</summary>
public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("libs");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private MigrationRunner Runner(string schema) => new(_database.OwnerConnectionString, schema, TestEnvironment.AppRole, NullLogger.Instance);

    private static readonly MigrationScript[] Scripts =
    [
        new("test", "0001_things.sql", "CREATE TABLE ${schema}.things (id int PRIMARY KEY, trust_id uuid NOT NULL);"),
        new("test", "0002_more.sql", "ALTER TABLE ${schema}.things ADD COLUMN name text; INSERT INTO ${schema}.things (id, trust_id) VALUES (1, gen_random_uuid());"),
    ];

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Scripts_are_applied_once_in_order_and_journaled()
    {
        (await Runner("once").ApplyAsync(Scripts)).Should().Equal("test/0001_things.sql", "test/0002_more.sql");
        (await Runner("once").ApplyAsync(Scripts)).Should().BeEmpty();
        (await ScalarAsync("SELECT count(*) FROM once.things")).Should().Be(1);
        (await ScalarAsync("SELECT count(*) FROM once.__migrations")).Should().Be(2);
    }

    [Fact]
    public async Task A_renumbered_script_is_not_applied_again_to_a_database_that_ran_it_under_its_old_name()
    {
        await Runner("renumbered").ApplyAsync(Scripts);
        var renumbered = MigrationScript.Renumbered(
            [Scripts[0], Scripts[1] with { Name = "0005_more.sql" }], new Dictionary<string, string> { ["0005_more.sql"] = "0002_more.sql" });

        (await Runner("renumbered").ApplyAsync(renumbered)).Should().BeEmpty("0005_more.sql is 0002_more.sql, already applied");
        (await ScalarAsync("SELECT count(*) FROM renumbered.things")).Should().Be(1, "its INSERT did not run twice");
        (await ScalarAsync("SELECT count(*) FROM renumbered.__migrations WHERE id = 'test/0005_more.sql'")).Should().Be(1);
        (await ScalarAsync("SELECT count(*) FROM renumbered.__migrations WHERE id = 'test/0002_more.sql'")).Should().Be(0);
    }

    [Fact]
    public void Platform_migration_numbers_are_unique_across_the_platform_libraries()
    {
        var directory = new Trust.Platform.Hosting.PlatformServiceInfo("test", "test", typeof(MigrationRunnerTests).Assembly, OwnsDirectory: true).Migrations;
        var replica = new Trust.Platform.Hosting.PlatformServiceInfo("test", "test", typeof(MigrationRunnerTests).Assembly).Migrations;
        foreach (var scripts in new[] { directory, replica })
        {
            scripts.Where(s => s.Source == "platform").GroupBy(s => s.Name[..4]).Where(g => g.Count() > 1).Select(g => g.Key)
                .Should().BeEmpty("two platform scripts with one number leave their order to their names");
        }
    }

    [Fact]
    public async Task An_applied_script_that_was_edited_is_refused()
    {
        await Runner("edited").ApplyAsync(Scripts);
        var edited = Scripts.Select(s => s.Name == "0001_things.sql" ? s with { Sql = s.Sql + " -- changed" } : s);
        var act = () => Runner("edited").ApplyAsync(edited);
        (await act.Should().ThrowAsync<MigrationChecksumException>()).Which.Message.Should().Contain("0001_things.sql");
    }

    [Fact]
    public async Task A_failing_script_leaves_nothing_half_applied()
    {
        var broken = Scripts.Append(new MigrationScript("test", "0003_broken.sql", "CREATE TABLE ${schema}.half (id int); SELECT * FROM nowhere;"));
        var act = () => Runner("broken").ApplyAsync(broken);
        await act.Should().ThrowAsync<PostgresException>();
        (await ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'broken' AND table_name = 'half'")).Should().Be(0);
        (await ScalarAsync("SELECT count(*) FROM broken.__migrations")).Should().Be(2, "the scripts before it stay applied");
    }

    [Fact]
    public async Task Runners_starting_together_apply_each_script_exactly_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Runner("together").ApplyAsync(Scripts))));
        results.Sum(r => r.Count).Should().Be(2);
        (await ScalarAsync("SELECT count(*) FROM together.things")).Should().Be(1);
    }

    [Fact]
    public async Task The_app_role_gets_usage_on_the_schema_but_owns_nothing()
    {
        await Runner("granted").ApplyAsync(Scripts);
        (await ScalarAsync($"SELECT has_schema_privilege('{TestEnvironment.AppRole}', 'granted', 'USAGE')::int")).Should().Be(1);
        (await ScalarAsync($"SELECT has_schema_privilege('{TestEnvironment.AppRole}', 'granted', 'CREATE')::int")).Should().Be(0);
    }
}
