using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.TestSupport;

/// <summary>Everything the services of one test assembly share: a fresh database, a vhost and a signing key.</summary>
public sealed class TestServers : IAsyncDisposable
{
    private TestServers(TestDatabase database, TestVirtualHost virtualHost)
    {
        Database = database;
        VirtualHost = virtualHost;
    }

    public TestDatabase Database { get; }

    public TestVirtualHost VirtualHost { get; }

    /// <summary>Random per run, so no signing key lives in source.</summary>
    public string SigningKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public static async Task<TestServers> CreateAsync(string purpose) =>
        new(await TestDatabase.CreateAsync(purpose), await TestVirtualHost.CreateAsync(purpose));

    public async ValueTask DisposeAsync()
    {
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>One service in process (WebApplicationFactory) against the real servers of <see cref="TestServers"/>.</summary>
public sealed class ServiceFactory<TEntry>(TestServers servers, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<TEntry>
    where TEntry : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:App"] = servers.Database.AppConnectionString,
            ["ConnectionStrings:Owner"] = servers.Database.OwnerConnectionString,
            ["Database:MigrateOnStartup"] = "true",
            ["Database:AppRole"] = TestEnvironment.AppRole,
            ["RabbitMq:Host"] = TestEnvironment.RabbitHost,
            ["RabbitMq:Port"] = TestEnvironment.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:Username"] = TestEnvironment.RabbitUser,
            ["RabbitMq:Password"] = TestEnvironment.RabbitPassword,
            ["RabbitMq:VirtualHost"] = servers.VirtualHost.Name,
            ["Auth:SigningKey"] = servers.SigningKey,
            ["Auth:EnableDevTokens"] = "true",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // The run's clock (Clock__Now), anchored once for every host, so services and tests agree on "now".
        foreach (var (key, value) in TestClock.HostSettings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }
    }

    public string Token(DevUser user) => Services.GetRequiredService<DevTokenIssuer>().Mint(user);

    public HttpClient ClientFor(DevUser? user)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user));
        }

        return client;
    }

    public HttpClient ClientWithKey(string apiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(ApiKeySecret.HeaderName, apiKey);
        return client;
    }
}
