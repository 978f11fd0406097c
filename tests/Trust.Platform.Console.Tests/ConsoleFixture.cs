using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Trust.Platform.Accounts;
using Trust.Platform.Console;
using Trust.Platform.Gateway;
using Trust.Platform.Incidents;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// Policy on a real port with the demo trust seeded (the same <c>seed-demo</c> as <c>deploy/run.sh</c>), Incidents, Accounts
/// and Training on real ports (they learn the schools, people and published policy from Policy's events, as in
/// <c>deploy/run.sh</c>), the gateway in front of all four, the console in-process on a real Kestrel port, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public ServiceFactory<IncidentsService> Incidents { get; private set; } = null!;

    public ServiceFactory<AccountsService> Accounts { get; private set; } = null!;

    public ServiceFactory<TrainingService> Training { get; private set; } = null!;

    public string ConsoleAddress { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of every page the tests visit (under the test output, <c>screenshots/</c>).</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private WebApplicationFactory<GatewayService> _gateway = null!;
    private WebApplicationFactory<ConsoleService> _console = null!;
    private IPlaywright _playwright = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync("console");
        Policy = new ServiceFactory<PolicyService>(Servers);
        var policy = Listen(Policy);
        // The other three before the seed: their queues must be bound when Policy's outbox delivers SchoolAdded and
        // PolicyPublished.
        Incidents = new ServiceFactory<IncidentsService>(Servers);
        var incidents = Listen(Incidents);
        Accounts = new ServiceFactory<AccountsService>(Servers);
        var accounts = Listen(Accounts);
        Training = new ServiceFactory<TrainingService>(Servers);
        var training = Listen(Training);
        (await DemoSeeder.RunAsync(Policy.Services, TextWriter.Null)).Should().Be(0, "the demo trust seeds");

        _gateway = new GatewayFactory(policy, incidents, accounts, training);
        var gateway = Listen(_gateway);
        _console = new ConsoleFactory(gateway, policy);
        ConsoleAddress = Listen(_console);

        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    private static string Listen<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        return client.BaseAddress!.ToString().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _console.DisposeAsync();
        await _gateway.DisposeAsync();
        await Training.DisposeAsync();
        await Accounts.DisposeAsync();
        await Incidents.DisposeAsync();
        await Policy.DisposeAsync();
        await Servers.DisposeAsync();
    }

    private sealed class GatewayFactory(string policy, string incidents, string accounts, string training) : WebApplicationFactory<GatewayService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Services:policy", policy);
            builder.UseSetting("Services:accounts", accounts);
            builder.UseSetting("Services:incidents", incidents);
            builder.UseSetting("Services:training", training);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    private sealed class ConsoleFactory(string gateway, string policy) : WebApplicationFactory<ConsoleService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Console:GatewayUrl", gateway);
            builder.UseSetting("Console:DevTokenUrl", policy);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in TestClock.HostSettings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
