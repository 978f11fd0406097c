using System.Net.Http.Json;
using MassTransit;
using Npgsql;
using Trust.Platform.Accounts;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Features.Trusts;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Integration.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection : ICollectionFixture<IntegrationFixture>
{
    public const string Name = "integration";
}

/// <summary>Policy and Accounts in one process on the same real PostgreSQL and RabbitMQ, plus a <see cref="CountingProbe"/>.</summary>
public sealed class IntegrationFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public ServiceFactory<AccountsService> Accounts { get; private set; } = null!;

    public CountingProbe Probe { get; private set; } = null!;

    public NpgsqlDataSource OwnerData => Probe.Owner;

    public Guid TrustId { get; private set; }

    public static readonly DevUser Operator = new("it-operator", "Operator", null, [Roles.PlatformOperator]);

    public DevUser Admin => new("it-admin", "Admin", TrustId, [Roles.TrustAdmin]);

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync("integration");
        Policy = new ServiceFactory<PolicyService>(Servers);
        Accounts = new ServiceFactory<AccountsService>(Servers);
        _ = Policy.Server;
        _ = Accounts.Server;
        Probe = await CountingProbe.StartAsync(Servers);

        using var operatorClient = Policy.ClientFor(Operator);
        var response = await operatorClient.PostAsJsonAsync("/v1/trusts", new { name = "Integration Trust", firstAdmin = new { displayName = "Admin", email = "admin@integration.example" } });
        await Http.EnsureSuccessAsync(response);
        TrustId = (await response.Content.ReadFromJsonAsync<CreatedTrustResponse>())!.Id;
    }

    public Task<long> EffectCountAsync(IEnumerable<Guid>? schools = null) => Probe.CountAsync(schools);

    public async Task DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Accounts.DisposeAsync();
        await Policy.DisposeAsync();
        await Servers.DisposeAsync();
    }
}
