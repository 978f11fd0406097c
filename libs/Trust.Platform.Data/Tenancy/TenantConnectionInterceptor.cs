using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Trust.Platform.Data.Tenancy;

/// <summary>
/// Sets <c>app.trust_id</c> on every connection EF Core opens, to the context's tenant or to the
/// empty string (no tenant: RLS policies read that as NULL and return nothing). Setting it on every
/// open, not once per physical connection, is what keeps a pooled connection from carrying one trust's
/// setting into another trust's unit of work.
/// </summary>
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor
{
    public static readonly TenantConnectionInterceptor Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = CreateCommand(connection, eventData);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(connection, eventData);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand CreateCommand(DbConnection connection, ConnectionEndEventData eventData)
    {
        var trustId = (eventData.Context as TenantDbContext)?.Tenant.TrustId;
        return TenantSession.SetCommand((NpgsqlConnection)connection, trustId);
    }
}

/// <summary>The one place that knows how the tenant reaches PostgreSQL.</summary>
public static class TenantSession
{
    /// <summary>The session setting row-level security reads (ADR 0001); <see cref="Migrations.MigrationRunner"/> builds its policies on it.</summary>
    public const string SettingName = "app.trust_id";

    public static NpgsqlCommand SetCommand(NpgsqlConnection connection, Guid? trustId)
    {
        var command = new NpgsqlCommand($"SELECT set_config('{SettingName}', $1, false)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = trustId?.ToString() ?? string.Empty });
        return command;
    }

    /// <summary>Opens a raw Npgsql connection acting for <paramref name="trustId"/> (null: no tenant).</summary>
    public static async Task<NpgsqlConnection> OpenAsync(
        NpgsqlDataSource dataSource, Guid? trustId, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = SetCommand(connection, trustId);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
