using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

[Collection(PolicyCollection.Name)]
public sealed class RowLevelSecurityTests(PolicyFixture fixture)
{
    private async Task<NpgsqlConnection> OwnerAsync()
    {
        var connection = new NpgsqlConnection(fixture.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task Every_table_with_a_trust_id_column_has_row_security_enabled_and_forced()
    {
        await using var connection = await OwnerAsync();
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'trust_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, connection);
        var tables = new List<(string Name, bool Enabled, bool Forced, bool HasPolicy)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)));
            }
        }

        tables.Should().Contain(t => t.Name == "policy.schools");
        tables.Where(t => !t.Enabled || !t.Forced || !t.HasPolicy).Select(t => t.Name).Should().BeEmpty();
    }

    [Fact]
    public async Task The_app_role_owns_nothing_and_cannot_bypass_row_security()
    {
        await using var connection = await OwnerAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                   (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid),
                   (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid),
                   (SELECT count(*) FROM pg_database d WHERE d.datdba = r.oid),
                   (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid)
            FROM pg_roles r WHERE r.rolname = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = TestEnvironment.AppRole });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue("the app role exists");
        reader.GetBoolean(0).Should().BeFalse("superuser");
        reader.GetBoolean(1).Should().BeFalse("bypassrls");
        reader.GetBoolean(2).Should().BeFalse("createrole");
        reader.GetBoolean(3).Should().BeFalse("createdb");
        reader.GetInt64(4).Should().Be(0, "tables owned");
        reader.GetInt64(5).Should().Be(0, "schemas owned");
        reader.GetInt64(6).Should().Be(0, "databases owned");
        reader.GetInt64(7).Should().Be(0, "functions owned");
    }

    [Fact]
    public async Task Ten_thousand_interleaved_operations_on_one_pooled_connection_never_see_another_trust()
    {
        // Max Pool Size=1: every operation reuses the same physical connection, the worst case for a
        // tenant setting leaking from one unit of work into the next.
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.AppConnectionString(fixture.Servers.Database.Name, maxPoolSize: 1));
        var options = new DbContextOptionsBuilder<PolicyDbContext>().UseNpgsql(dataSource).AddInterceptors(TenantConnectionInterceptor.Instance).Options;
        var random = new Random(20261122);
        var leaks = 0;
        var ownRows = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var pick = random.Next(3);
            Guid? trust = pick switch { 0 => fixture.TrustA, 1 => fixture.TrustB, _ => null };
            var tenant = new TenantContext();
            if (trust is { } t)
            {
                tenant.Set(t);
            }

            List<Guid> seen;
            if (i % 2 == 0)
            {
                // EF with its query filter switched off: only row-level security stands in the way.
                await using var db = new PolicyDbContext(options, tenant);
                seen = await db.Schools.IgnoreQueryFilters().Select(s => s.TrustId).ToListAsync();
            }
            else
            {
                // Raw SQL with no WHERE clause.
                await using var connection = await TenantSession.OpenAsync(dataSource, trust);
                await using var command = new NpgsqlCommand("SELECT trust_id FROM policy.schools", connection);
                seen = [];
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    seen.Add(reader.GetGuid(0));
                }
            }

            leaks += seen.Count(s => s != trust);
            ownRows += seen.Count;
        }

        leaks.Should().Be(0, "no operation may see a row of another trust, and no trust sees nothing");
        ownRows.Should().BeGreaterThan(0, "operations as a trust do see that trust's rows");
    }

    [Fact]
    public async Task Raw_sql_without_a_where_clause_returns_only_the_current_trusts_rows()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Servers.Database.AppConnectionString);
        await using var connection = await TenantSession.OpenAsync(dataSource, fixture.TrustB);
        await using var command = new NpgsqlCommand("SELECT trust_id, id FROM policy.schools", connection);
        var rows = new List<(Guid Trust, Guid School)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        rows.Should().Contain((fixture.TrustB, fixture.SchoolB1));
        rows.Should().OnlyContain(r => r.Trust == fixture.TrustB);
    }

    [Fact]
    public async Task An_insert_carrying_another_trusts_id_is_rejected_by_the_database()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Servers.Database.AppConnectionString);
        await using var connection = await TenantSession.OpenAsync(dataSource, fixture.TrustA);
        await using var command = new NpgsqlCommand("""
            INSERT INTO policy.schools (trust_id, id, name, urn, phase, time_zone, version, created_at, updated_at)
            VALUES ($1, $2, 'Smuggled', '999999', 'primary', 'Europe/London', 1, now(), now())
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = fixture.TrustB });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
        var act = () => command.ExecuteNonQueryAsync();
        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task An_update_without_a_where_clause_touches_only_the_current_trust()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Servers.Database.AppConnectionString);
        await using var connection = await TenantSession.OpenAsync(dataSource, fixture.TrustB);
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("UPDATE policy.schools SET local_authority = local_authority", connection, transaction);
        var touched = await command.ExecuteNonQueryAsync();
        await transaction.RollbackAsync();
        touched.Should().Be(1, "trust B has exactly one school");
    }

    [Fact]
    public async Task With_no_trust_set_the_app_role_reads_nothing_and_cannot_write()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Servers.Database.AppConnectionString);
        await using var connection = await TenantSession.OpenAsync(dataSource, null);
        await using var read = new NpgsqlCommand("SELECT count(*) FROM policy.schools", connection);
        ((long)(await read.ExecuteScalarAsync())!).Should().Be(0);
        await using var readKeys = new NpgsqlCommand("SELECT count(*) FROM policy.api_keys", connection);
        ((long)(await readKeys.ExecuteScalarAsync())!).Should().Be(0);
        await using var outbox = new NpgsqlCommand("SELECT count(*) FROM policy.outbox_messages", connection);
        var act = () => outbox.ExecuteScalarAsync();
        (await act.Should().ThrowAsync<PostgresException>("the app role may only insert into the outbox")).Which.SqlState
            .Should().Be(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task The_save_changes_guard_refuses_a_row_of_another_trust()
    {
        await using var scope = fixture.Policy.Services.CreateAsyncScope();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        tenant.Set(fixture.TrustA);
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        db.Schools.Add(new Model.School
        {
            TrustId = fixture.TrustB, Id = Guid.NewGuid(), Name = "Smuggled", Urn = "999998", TimeZone = "Europe/London",
            CreatedAt = TestClock.Now, UpdatedAt = TestClock.Now,
        });
        var act = () => db.SaveChangesAsync();
        await act.Should().ThrowAsync<TenantMismatchException>();
    }

    [Fact]
    public async Task The_query_filter_hides_other_trusts_even_when_asked_by_id()
    {
        await using var scope = fixture.Policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(fixture.TrustA);
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        (await db.Schools.AnyAsync(s => s.Id == fixture.SchoolB1)).Should().BeFalse();
        (await db.Schools.AnyAsync(s => s.Id == fixture.SchoolA1)).Should().BeTrue();
    }
}
