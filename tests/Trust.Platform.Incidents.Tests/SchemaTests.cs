using Npgsql;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests;

/// <summary>The house rules on the incidents schema: every tenant table under forced RLS with a policy; append-only tables stay append-only.</summary>
public sealed class SchemaTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    [Fact]
    public async Task Every_incidents_table_with_a_trust_id_has_row_security_enabled_forced_and_a_policy()
    {
        await using var connection = await IncidentsSeed.OwnerAsync(host);
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'trust_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname = 'incidents'
            """, connection);
        var tables = new List<(string Name, bool Ok)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add((reader.GetString(0), reader.GetBoolean(1) && reader.GetBoolean(2) && reader.GetBoolean(3)));
            }
        }

        tables.Select(t => t.Name).Should().Contain(["cases", "case_timeline", "case_audit", "evidence", "published_policies", "staff_roster"]);
        tables.Where(t => !t.Ok).Select(t => t.Name).Should().BeEmpty();
    }

    [Theory]
    [InlineData("case_timeline")]
    [InlineData("case_audit")]
    [InlineData("evidence")]
    public async Task The_app_role_may_only_insert_and_read_append_only_tables(string table)
    {
        await using var connection = await IncidentsSeed.OwnerAsync(host);
        await using var command = new NpgsqlCommand(
            "SELECT has_table_privilege($1, 'incidents.' || $2, 'UPDATE') OR has_table_privilege($1, 'incidents.' || $2, 'DELETE') OR has_table_privilege($1, 'incidents.' || $2, 'TRUNCATE')",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = TestEnvironment.AppRole });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        ((bool)(await command.ExecuteScalarAsync())!).Should().BeFalse();
    }
}
