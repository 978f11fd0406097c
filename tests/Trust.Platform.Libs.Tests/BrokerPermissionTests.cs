using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>One vhost whose queues and event exchanges Training and Incidents declared, as their services do at start-up.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public const string TrainingQueue = "training-directory-replica";

    public const string SchoolAdded = "Trust.Platform.Contracts:SchoolAdded";

    public const string IncidentReported = "Trust.Platform.Contracts:IncidentReported";

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync("broker");
        await using (var training = await BrokerPermissionTests.ConnectAsync(VirtualHost, "training"))
        await using (var channel = await training.CreateChannelAsync())
        {
            await channel.ExchangeDeclareAsync(SchoolAdded, ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(TrainingQueue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(TrainingQueue, SchoolAdded, "");
        }

        await using var incidents = await BrokerPermissionTests.ConnectAsync(VirtualHost, "incidents");
        await using var incidentsChannel = await incidents.CreateChannelAsync();
        await incidentsChannel.ExchangeDeclareAsync(IncidentReported, ExchangeType.Fanout, durable: true);
    }

    public async Task DisposeAsync() => await VirtualHost.DisposeAsync();
}

/// <summary>
/// Each service's broker user (TestVirtualHost gives every test vhost the users and rights deploy/local/servers.sh
/// gives /trust) reaches its own queues and the exchanges of its own events only: RabbitMQ answers ACCESS_REFUSED
/// (403) to anything else. That the services still publish and consume what they need under these users is what
/// every service suite and the Story suite exercise.
/// </summary>
public sealed class BrokerPermissionTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const ushort AccessRefused = 403;

    public static Task<IConnection> ConnectAsync(TestVirtualHost virtualHost, string service)
    {
        var credentials = virtualHost.CredentialsFor(service);
        var factory = new ConnectionFactory
        {
            HostName = TestEnvironment.RabbitHost, Port = TestEnvironment.RabbitPort, VirtualHost = virtualHost.Name,
            UserName = credentials.Username, Password = credentials.Password,
        };
        return factory.CreateConnectionAsync();
    }

    /// <summary>Runs <paramref name="action"/> on a fresh channel as <paramref name="service"/> and expects the broker to close it with 403.</summary>
    private async Task ShouldBeRefusedAsync(string service, Func<IChannel, Task> action, string because)
    {
        await using var connection = await ConnectAsync(fixture.VirtualHost, service);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var act = () => action(channel);
        (await act.Should().ThrowAsync<OperationInterruptedException>(because)).Which.ShutdownReason!.ReplyCode.Should().Be(AccessRefused, because);
    }

    [Fact]
    public async Task A_service_cannot_consume_another_services_queue()
    {
        await ShouldBeRefusedAsync("accounts", c => c.BasicGetAsync(BrokerFixture.TrainingQueue, autoAck: true), "Accounts may not read Training's queue");
        await ShouldBeRefusedAsync("accounts", c => c.BasicConsumeAsync(BrokerFixture.TrainingQueue, autoAck: true, new AsyncEventingBasicConsumer(c)),
            "Accounts may not subscribe to Training's queue");
    }

    [Fact]
    public async Task A_service_cannot_delete_or_purge_another_services_queue()
    {
        await ShouldBeRefusedAsync("accounts", c => c.QueueDeleteAsync(BrokerFixture.TrainingQueue), "Accounts may not delete Training's queue");
        await ShouldBeRefusedAsync("accounts", c => c.QueuePurgeAsync(BrokerFixture.TrainingQueue), "Accounts may not empty Training's queue");
    }

    [Fact]
    public async Task A_service_cannot_declare_a_queue_under_another_services_name()
    {
        await ShouldBeRefusedAsync("accounts", c => c.QueueDeclareAsync("training-school-added", durable: true, exclusive: false, autoDelete: false),
            "queues named training-... are Training's");
    }

    [Fact]
    public async Task A_service_cannot_publish_an_event_another_service_owns()
    {
        // Training consumes SchoolAdded, so it may declare the exchange, but only Policy may publish to it.
        await ShouldBeRefusedAsync("training", async c =>
            {
                await c.ExchangeDeclareAsync(BrokerFixture.SchoolAdded, ExchangeType.Fanout, durable: true);
                await c.BasicPublishAsync(BrokerFixture.SchoolAdded, "", Encoding.UTF8.GetBytes("{}"));
            },
            "a forged SchoolAdded from Training is refused");
    }

    [Fact]
    public async Task A_service_cannot_bind_its_own_queue_to_events_it_does_not_consume()
    {
        await ShouldBeRefusedAsync("accounts", async c =>
            {
                await c.QueueDeclareAsync("accounts-eavesdrop", durable: false, exclusive: true, autoDelete: true);
                await c.QueueBindAsync("accounts-eavesdrop", BrokerFixture.IncidentReported, "");
            },
            "Accounts does not consume IncidentReported, so it may not listen to it");
    }

    [Fact]
    public async Task A_service_declares_binds_and_reads_its_own_queues()
    {
        await using var connection = await ConnectAsync(fixture.VirtualHost, "training");
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync("training-own-check", durable: false, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("training-own-check", BrokerFixture.SchoolAdded, "");
        (await channel.BasicGetAsync("training-own-check", autoAck: true)).Should().BeNull("the queue is empty");
        await channel.QueueDeleteAsync("training-own-check");
    }
}
