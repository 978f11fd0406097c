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

/// <summary>
/// Policy and Accounts in one process on the same real PostgreSQL and RabbitMQ, plus a counting
/// consumer on its own bus whose effect is one row per applied event (fx.effects), so that a
/// duplicate that got through the inbox would show as a second row.
/// </summary>
public sealed class IntegrationFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public ServiceFactory<AccountsService> Accounts { get; private set; } = null!;

    public IBusControl CountingBus { get; private set; } = null!;

    public NpgsqlDataSource AppData { get; private set; } = null!;

    public NpgsqlDataSource OwnerData { get; private set; } = null!;

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
        AppData = NpgsqlDataSource.Create(Servers.Database.AppConnectionString);
        OwnerData = NpgsqlDataSource.Create(Servers.Database.OwnerConnectionString);

        await using (var command = OwnerData.CreateCommand($"""
            CREATE SCHEMA fx;
            GRANT USAGE ON SCHEMA fx TO {TestEnvironment.AppRole};
            CREATE TABLE fx.inbox_messages (message_id uuid NOT NULL, consumer text NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (message_id, consumer));
            CREATE TABLE fx.effects (event_id uuid NOT NULL, school_id uuid NOT NULL, occurred_at timestamptz NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
            GRANT SELECT, INSERT ON fx.inbox_messages, fx.effects TO {TestEnvironment.AppRole};
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        CountingBus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestEnvironment.RabbitHost, (ushort)TestEnvironment.RabbitPort, Servers.VirtualHost.Name, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            });
            cfg.UseMessageRetry(r => r.Interval(20, TimeSpan.FromMilliseconds(500)));
            cfg.ReceiveEndpoint("it-counting", e => e.Consumer(() => new CountingConsumer(AppData)));
        });
        await CountingBus.StartAsync();

        using var operatorClient = Policy.ClientFor(Operator);
        var response = await operatorClient.PostAsJsonAsync("/v1/trusts", new { name = "Integration Trust", firstAdmin = new { displayName = "Admin", email = "admin@integration.example" } });
        await Http.EnsureSuccessAsync(response);
        TrustId = (await response.Content.ReadFromJsonAsync<CreatedTrustResponse>())!.Id;
    }

    public async Task<long> EffectCountAsync(IEnumerable<Guid>? schools = null)
    {
        await using var command = OwnerData.CreateCommand(schools is null
            ? "SELECT count(*) FROM fx.effects"
            : "SELECT count(*) FROM fx.effects WHERE school_id = ANY($1)");
        if (schools is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schools.ToArray() });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await CountingBus.StopAsync();
        await Accounts.DisposeAsync();
        await Policy.DisposeAsync();
        await AppData.DisposeAsync();
        await OwnerData.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

/// <summary>Applies each SchoolAdded once: the inbox claim and the effect row commit together.</summary>
public sealed class CountingConsumer(NpgsqlDataSource dataSource) : IConsumer<SchoolAdded>
{
    public async Task Consume(ConsumeContext<SchoolAdded> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        if (await InboxClaim.TryClaimAsync(connection, transaction, "fx", context.Message.EventId, nameof(CountingConsumer), context.CancellationToken))
        {
            await using var insert = new NpgsqlCommand("INSERT INTO fx.effects (event_id, school_id, occurred_at) VALUES ($1, $2, $3)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = context.Message.EventId });
            insert.Parameters.Add(new NpgsqlParameter { Value = context.Message.SchoolId });
            insert.Parameters.Add(new NpgsqlParameter { Value = context.Message.OccurredAt });
            await insert.ExecuteNonQueryAsync(context.CancellationToken);
        }

        await transaction.CommitAsync(context.CancellationToken);
    }
}
