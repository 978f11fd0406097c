using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Observability;

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

    private readonly SemaphoreSlim _harnessStart = new(1, 1);
    private IBusControl? _harness;

    /// <summary>
    /// Publishes <paramref name="message"/> as the test harness (the administrator user), playing the service that owns
    /// the event: a service's own broker user may publish only its own events.
    /// </summary>
    public async Task PublishAsync(object message, Type messageType)
    {
        await _harnessStart.WaitAsync();
        try
        {
            if (_harness is null)
            {
                var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(TestEnvironment.RabbitHost, (ushort)TestEnvironment.RabbitPort, VirtualHost.Name, h =>
                {
                    h.Username(TestEnvironment.RabbitUser);
                    h.Password(TestEnvironment.RabbitPassword);
                }));
                await bus.StartAsync();
                _harness = bus;
            }
        }
        finally
        {
            _harnessStart.Release();
        }

        await _harness.Publish(message, messageType);
    }

    public Task PublishAsync<T>(T message)
        where T : class => PublishAsync(message, typeof(T));

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.StopAsync();
        }

        _harnessStart.Dispose();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>One service in process (WebApplicationFactory) against the real servers of <see cref="TestServers"/>.</summary>
public sealed class ServiceFactory<TEntry>(TestServers servers, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<TEntry>
    where TEntry : class
{
    /// <summary>policy, accounts, incidents or training: the service's name in its queues and broker user.</summary>
    public static string ServiceName { get; } = typeof(TEntry).Name.Replace("Service", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The webhook signing key of this test process: random, never written anywhere.</summary>
    public static string WebhookTestKey { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var broker = servers.VirtualHost.CredentialsFor(ServiceName);
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:App"] = servers.Database.AppConnectionString,
            ["ConnectionStrings:Owner"] = servers.Database.OwnerConnectionString,
            ["ConnectionStrings:Dispatcher"] = servers.Database.DispatcherConnectionString,
            ["Database:MigrateOnStartup"] = "true",
            ["Database:AppRole"] = TestEnvironment.AppRole,
            ["Database:DispatcherRole"] = TestEnvironment.DispatcherRole,
            ["RabbitMq:Host"] = TestEnvironment.RabbitHost,
            ["RabbitMq:Port"] = TestEnvironment.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:Username"] = broker.Username,
            ["RabbitMq:Password"] = broker.Password,
            ["RabbitMq:VirtualHost"] = servers.VirtualHost.Name,
            ["Smtp:Host"] = TestEnvironment.SmtpHost,
            ["Smtp:Port"] = TestEnvironment.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Tls"] = "none",
            ["Smtp:From"] = "notifications@trust-platform.test",
            ["Webhooks:SigningKey"] = WebhookTestKey,
            // The suite's webhook receivers listen on loopback, which production refuses.
            ["Webhooks:PrivateHostsAllowed:0"] = "127.0.0.1",
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

        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, InProcessCallerIsLocal>());
    }

    /// <summary>
    /// Starts the host as the base does, then waits until its consumers are bound at the broker (<see cref="BrokerHealthCheck"/>,
    /// readiness's "broker"). A service starts without waiting for RabbitMQ, as in production; a test publishes at once on a virtual
    /// host of its own, where an event sent before a consumer's queue is bound would be dropped.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        // The check itself, not through the health check service, which logs an error for every unhealthy answer.
        var broker = host.Services.GetRequiredService<BrokerHealthCheck>();
        var waited = Stopwatch.StartNew();
        while (broker.CheckHealthAsync(new HealthCheckContext()).GetAwaiter().GetResult().Status != HealthStatus.Healthy)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                host.Dispose();
                throw new TimeoutException($"{ServiceName}: its consumers were not bound at the broker within 60 s.");
            }

            Thread.Sleep(20);
        }

        return host;
    }

    /// <summary>
    /// The in-memory test host leaves the remote address empty; a test client in the same process is on this
    /// machine, so it is given the loopback address a local caller has (a real Kestrel port sets its own).
    /// </summary>
    private sealed class InProcessCallerIsLocal : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    public string Token(DevUser user) => Services.GetRequiredService<DevTokenIssuer>().Mint(user);

    /// <summary>A client whose every answer is checked against the service's committed contract (<see cref="ContractCheck"/>).</summary>
    public HttpClient Client() => CreateDefaultClient(new ContractCheck(ServiceName));

    public HttpClient ClientFor(DevUser? user)
    {
        var client = Client();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user));
        }

        return client;
    }

    public HttpClient ClientWithKey(string apiKey)
    {
        var client = Client();
        client.DefaultRequestHeaders.Add(ApiKeySecret.HeaderName, apiKey);
        return client;
    }
}
