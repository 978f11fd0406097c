using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Trust.Platform.Data.Migrations;

/// <summary>One numbered SQL script, identified by its source ("platform" or the service) and file name.</summary>
public sealed record MigrationScript(string Source, string Name, string Sql)
{
    public string Id => $"{Source}/{Name}";

    /// <summary>The file name the script had when it was applied to older databases, if it was renumbered since.</summary>
    public string? FormerName { get; init; }

    public string? FormerId => FormerName is null ? null : $"{Source}/{FormerName}";

    /// <summary>
    /// Marks renumbered scripts with their former names, so that a database that applied one under its old name is not
    /// given it again: the runner moves the journal entry to the new name (the checksum proves it is the same script).
    /// </summary>
    public static IReadOnlyList<MigrationScript> Renumbered(IReadOnlyList<MigrationScript> scripts, IReadOnlyDictionary<string, string> formerNames)
    {
        var unknown = formerNames.Keys.Except(scripts.Select(s => s.Name)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Renumbered migrations {string.Join(", ", unknown)} do not exist.");
        }

        return scripts.Select(s => formerNames.TryGetValue(s.Name, out var former) ? s with { FormerName = former } : s).ToList();
    }

    /// <summary>SHA-256 of the script as written (before placeholders), so an edited applied script is detected.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Reads every embedded <c>*.sql</c> resource of an assembly, ordered by file name (0001_..., 0002_...).</summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, string source, string? resourcePrefix = null)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && (resourcePrefix is null || n.StartsWith(resourcePrefix, StringComparison.Ordinal))))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            // Resource names are Namespace.Folder.0001_name.sql: keep the file name.
            var withoutExtension = resource[..^4];
            var name = withoutExtension[(withoutExtension.LastIndexOf('.') + 1)..] + ".sql";
            scripts.Add(new MigrationScript(source, name, reader.ReadToEnd()));
        }

        return scripts.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}

public sealed class MigrationChecksumException(string message) : InvalidOperationException(message);

/// <summary>
/// Applies numbered SQL migrations to one service schema as the owner role: a journal table with
/// checksums, one transaction per script, and a PostgreSQL advisory lock so that several replicas
/// starting at once apply each script exactly once. Placeholders: <c>${schema}</c>, <c>${app_role}</c>,
/// <c>${dispatcher_role}</c> (the outbox dispatcher's login), <c>${current_trust}</c> (the RLS expression for the
/// session's trust, NULL when none is set), and <c>${tenant_table:name}</c>, which makes a new table a tenant table:
/// row-level security enabled and forced with the tenant policy, nothing for PUBLIC (ADR 0001). Grants stay explicit.
/// </summary>
public sealed partial class MigrationRunner(
    string ownerConnectionString, string schema, string appRole, ILogger logger, string dispatcherRole = DatabaseOptions.DefaultDispatcherRole)
{
    public const string CurrentTrustExpression = "nullif(current_setting('" + Tenancy.TenantSession.SettingName + "', true), '')::uuid";

    public async Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<MigrationScript> scripts, CancellationToken cancellationToken = default)
    {
        ValidateIdentifier(schema);
        ValidateIdentifier(appRole);
        ValidateIdentifier(dispatcherRole);
        var ordered = scripts.ToList();
        var duplicate = ordered.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migration {duplicate.Key} is declared twice.");
        }

        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        var lockKey = LockKey(schema);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({lockKey})", cancellationToken);
        try
        {
            // applied_at is the database's now(), not the platform clock (docs/adr/0007): it records when a script really
            // ran on this server, for operators, and nothing compares it with anything.
            await ExecuteAsync(connection, $"""
                CREATE SCHEMA IF NOT EXISTS {schema};
                CREATE TABLE IF NOT EXISTS {schema}.__migrations (
                    id text PRIMARY KEY,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                REVOKE ALL ON {schema}.__migrations FROM PUBLIC;
                GRANT USAGE ON SCHEMA {schema} TO {appRole};
                """, cancellationToken);

            var journal = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand($"SELECT id, checksum FROM {schema}.__migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    journal[reader.GetString(0)] = reader.GetString(1);
                }
            }

            foreach (var script in ordered.Where(s => s.FormerId is { } former && journal.ContainsKey(former) && !journal.ContainsKey(s.Id)))
            {
                await using var rename = new NpgsqlCommand($"UPDATE {schema}.__migrations SET id = $1 WHERE id = $2", connection);
                rename.Parameters.Add(new NpgsqlParameter { Value = script.Id });
                rename.Parameters.Add(new NpgsqlParameter { Value = script.FormerId });
                await rename.ExecuteNonQueryAsync(cancellationToken);
                journal[script.Id] = journal[script.FormerId!];
                journal.Remove(script.FormerId!);
            }

            var applied = new List<string>();
            foreach (var script in ordered)
            {
                if (journal.TryGetValue(script.Id, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        throw new MigrationChecksumException(
                            $"Migration {script.Id} was changed after it was applied to schema {schema}: add a new migration instead.");
                    }

                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, Expand(script.Sql), cancellationToken);
                await using (var insert = new NpgsqlCommand($"INSERT INTO {schema}.__migrations (id, checksum) VALUES ($1, $2)", connection))
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = script.Id });
                    insert.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                applied.Add(script.Id);
                MigrationLog.Applied(logger, schema, script.Id);
            }

            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
        }
    }

    private string Expand(string sql) => TenantTable().Replace(sql, m => TenantTableSql(m.Groups["table"].Value))
        .Replace("${schema}", schema, StringComparison.Ordinal)
        .Replace("${app_role}", appRole, StringComparison.Ordinal)
        .Replace("${dispatcher_role}", dispatcherRole, StringComparison.Ordinal)
        .Replace("${current_trust}", CurrentTrustExpression, StringComparison.Ordinal);

    /// <summary>The block every tenant table needs, said once (a table without it would be readable across trusts).</summary>
    private static string TenantTableSql(string table) =>
        "ALTER TABLE ${schema}." + table + " ENABLE ROW LEVEL SECURITY;\n" +
        "ALTER TABLE ${schema}." + table + " FORCE ROW LEVEL SECURITY;\n" +
        "CREATE POLICY tenant_isolation ON ${schema}." + table + " USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});\n" +
        "REVOKE ALL ON ${schema}." + table + " FROM PUBLIC;";

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{tenant_table:(?<table>[a-z_][a-z0-9_]*)\};?")]
    private static partial System.Text.RegularExpressions.Regex TenantTable();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A stable 63-bit key per schema (FNV-1a), so every replica of a service contends on the same lock.</summary>
    internal static long LockKey(string schemaName)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("trust-platform-migrations:" + schemaName))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return (long)(hash & 0x7FFF_FFFF_FFFF_FFFF);
    }

    private static void ValidateIdentifier(string identifier)
    {
        if (identifier.Length == 0 || identifier.Length > 63 ||
            !identifier.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || char.IsDigit(identifier[0]))
        {
            throw new ArgumentException($"'{identifier}' is not a plain lower-case SQL identifier.");
        }
    }
}

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {MigrationId} to schema {Schema}")]
    public static partial void Applied(ILogger logger, string schema, string migrationId);
}
