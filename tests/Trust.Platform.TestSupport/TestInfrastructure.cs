using Npgsql;

namespace Trust.Platform.TestSupport;

/// <summary>A fresh database for one test assembly run, created as the owner role and dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name) => Name = name;

    public string Name { get; }

    public string OwnerConnectionString => TestEnvironment.OwnerConnectionString(Name);

    public string AppConnectionString => TestEnvironment.AppConnectionString(Name);

    public string DispatcherConnectionString => TestEnvironment.DispatcherConnectionString(Name);

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var name = $"tp_{TestEnvironment.RunId}_{purpose}_{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(TestEnvironment.OwnerConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(TestEnvironment.OwnerConnectionString(name)))
        {
            await connection.OpenAsync();
            // Nothing may be created in public by the app role; service schemas come from migrations.
            await using var revoke = new NpgsqlCommand("REVOKE CREATE ON SCHEMA public FROM PUBLIC", connection);
            await revoke.ExecuteNonQueryAsync();
        }

        return new TestDatabase(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.OwnerConnectionString("postgres"));
        await connection.OpenAsync();
        // FORCE terminates the sessions still attached (deploy/local/servers.sh makes the owner a member of the
        // app role so that it may end those too); on servers provisioned without that membership, wait for the
        // app role's sessions to end instead of failing at once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 40)
            {
                await Task.Delay(250);
            }
        }
    }
}

/// <summary>A broker login.</summary>
public sealed record BrokerCredentials(string Username, string Password);

/// <summary>A RabbitMQ virtual host of its own, so concurrent test runs never consume each other's messages.</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private TestVirtualHost(string name) => Name = name;

    public string Name { get; }

    /// <summary>The broker login a service (policy, accounts, incidents, training) connects with on this vhost.</summary>
    public BrokerCredentials CredentialsFor(string service) => new(TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword);

    public static async Task<TestVirtualHost> CreateAsync(string purpose)
    {
        var name = $"tp-{TestEnvironment.RunId}-{purpose}-{Guid.NewGuid().ToString("N")[..6]}";
        await TestEnvironment.RabbitCtlAsync("add_vhost", name);
        await TestEnvironment.RabbitCtlAsync("set_permissions", "-p", name, TestEnvironment.RabbitUser, ".*", ".*", ".*");
        return new TestVirtualHost(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TestEnvironment.RabbitCtlAsync("delete_vhost", Name);
        }
        catch (InvalidOperationException)
        {
            // The broker may be stopped by a resilience test; a leftover vhost is harmless.
        }
    }
}
