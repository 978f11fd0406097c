using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Trust.Platform.Accounts;
using Trust.Platform.Gateway;
using Trust.Platform.Incidents;
using Trust.Platform.Policy;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The four services on real Kestrel ports, all on one fresh database and RabbitMQ vhost, and the
/// gateway in front of them. Every story call goes through <see cref="Gateway"/>.
/// </summary>
public sealed class StoryFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public ServiceFactory<AccountsService> Accounts { get; private set; } = null!;

    public ServiceFactory<IncidentsService> Incidents { get; private set; } = null!;

    public ServiceFactory<TrainingService> Training { get; private set; } = null!;

    public WebApplicationFactory<GatewayService> Gateway { get; private set; } = null!;

    /// <summary>Training listens on this fixed address so it can be stopped and started again behind the same gateway route.</summary>
    public string TrainingAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync("story");
        Policy = Start(new ServiceFactory<PolicyService>(Servers), 0, out var policy);
        Accounts = Start(new ServiceFactory<AccountsService>(Servers), 0, out var accounts);
        Incidents = Start(new ServiceFactory<IncidentsService>(Servers), 0, out var incidents);
        Training = Start(new ServiceFactory<TrainingService>(Servers), FreePort(), out var training);
        TrainingAddress = training;
        _addresses = (policy, accounts, incidents, training);
        Gateway = new GatewayFactory(policy, accounts, incidents, training);
        await Task.CompletedTask;
    }

    private (string Policy, string Accounts, string Incidents, string Training) _addresses;

    private WebApplicationFactory<GatewayService>? _realGateway;

    /// <summary>A second gateway on a real port, for tools outside the process (curl in the walkthrough test).</summary>
    public string RealGatewayAddress()
    {
        if (_realGateway is null)
        {
            var gateway = new GatewayFactory(_addresses.Policy, _addresses.Accounts, _addresses.Incidents, _addresses.Training);
            gateway.UseKestrel(0);
            gateway.StartServer();
            _realGateway = gateway;
        }

        using var client = _realGateway.CreateClient();
        return client.BaseAddress!.ToString().TrimEnd('/');
    }

    /// <summary>Stops Training (its queues stay on the broker), for the restart step of the story.</summary>
    public async Task StopTrainingAsync() => await Training.DisposeAsync();

    /// <summary>Starts a new Training on the same database, vhost and address.</summary>
    public void StartTraining()
    {
        var port = new Uri(TrainingAddress).Port;
        Training = Start(new ServiceFactory<TrainingService>(Servers), port, out _);
    }

    private static ServiceFactory<T> Start<T>(ServiceFactory<T> factory, int port, out string address)
        where T : class
    {
        factory.UseKestrel(port);
        factory.StartServer();
        using var direct = factory.CreateClient();
        address = direct.BaseAddress!.ToString().TrimEnd('/');
        return factory;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (_realGateway is not null)
        {
            await _realGateway.DisposeAsync();
        }

        await Training.DisposeAsync();
        await Incidents.DisposeAsync();
        await Accounts.DisposeAsync();
        await Policy.DisposeAsync();
        await Servers.DisposeAsync();
    }

    private sealed class GatewayFactory(string policy, string accounts, string incidents, string training) : WebApplicationFactory<GatewayService>
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
}

/// <summary>One set of running services for the story and the trace test (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class StoryCollection : ICollectionFixture<StoryFixture>
{
    public const string Name = "story";
}
