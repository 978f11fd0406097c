using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
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

/// <summary>A service's rights on a vhost: RabbitMQ regexes over queue and exchange names.</summary>
public sealed record ServicePermissions(string Service, string Configure, string Write, string Read);

/// <summary>
/// A RabbitMQ virtual host of its own, so concurrent test runs never consume each other's messages, with a user per
/// service holding exactly the rights deploy/local/servers.sh gives that service on /trust (its
/// <c>rabbitmq-permissions</c> verb prints them), so every suite runs the services under their real broker rights. The
/// harness user (TP_RABBITMQ_USER, an administrator) has every right on it, for probes and for playing other services.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private static readonly Lazy<Task<IReadOnlyList<ServicePermissions>>> Permissions = new(ReadPermissionsAsync);

    private readonly IReadOnlyDictionary<string, BrokerCredentials> _services;

    private TestVirtualHost(string name, IReadOnlyDictionary<string, BrokerCredentials> services)
    {
        Name = name;
        _services = services;
    }

    public string Name { get; }

    /// <summary>The broker login a service (policy, accounts, incidents, training) connects with on this vhost.</summary>
    public BrokerCredentials CredentialsFor(string service) =>
        _services.TryGetValue(service, out var credentials)
            ? credentials
            : throw new ArgumentException($"No broker user for '{service}' (deploy/local/servers.sh knows {string.Join(", ", _services.Keys)}).", nameof(service));

    /// <summary>Each service's configure, write and read regexes, as <c>deploy/local/servers.sh rabbitmq-permissions</c> prints them.</summary>
    public static Task<IReadOnlyList<ServicePermissions>> ServicePermissionsAsync() => Permissions.Value;

    public static async Task<TestVirtualHost> CreateAsync(string purpose)
    {
        var name = $"tp-{TestEnvironment.RunId}-{purpose}-{Guid.NewGuid().ToString("N")[..6]}";
        var permissions = await Permissions.Value;
        var services = permissions.ToDictionary(p => p.Service,
            p => new BrokerCredentials($"{name}-{p.Service}", Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
        // One import creates the vhost, the users and every right (rabbitmqctl starts a VM per call: about 2 s each).
        var definitions = new
        {
            vhosts = new[] { new { name } },
            users = services.Values.Select(c => new { name = c.Username, password = c.Password, tags = "" }),
            permissions = permissions
                .Select(p => new { user = services[p.Service].Username, vhost = name, configure = p.Configure, write = p.Write, read = p.Read })
                .Append(new { user = TestEnvironment.RabbitUser, vhost = name, configure = ".*", write = ".*", read = ".*" }),
        };
        await TestEnvironment.RabbitCtlWithInputAsync(JsonSerializer.Serialize(definitions), "import_definitions");
        return new TestVirtualHost(name, services);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_services.Values.Select(c => TestEnvironment.RabbitCtlAsync("delete_user", c.Username))
                .Append(TestEnvironment.RabbitCtlAsync("delete_vhost", Name)));
        }
        catch (InvalidOperationException)
        {
            // The broker may be stopped by a resilience test; a leftover vhost or user is harmless.
        }
    }

    private static async Task<IReadOnlyList<ServicePermissions>> ReadPermissionsAsync()
    {
        var script = Path.Combine(OpenApiGolden.RepositoryRoot(), "deploy", "local", "servers.sh");
        var start = new ProcessStartInfo("bash", [script, "rabbitmq-permissions"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} rabbitmq-permissions failed ({process.ExitCode}): {await stderr}");
        }

        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => new ServicePermissions(f[0], f[1], f[2], f[3]))
            .ToList();
    }
}
