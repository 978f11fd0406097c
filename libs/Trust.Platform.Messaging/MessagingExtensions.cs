using System.Reflection;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Messaging;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    /// <summary>
    /// The service's own broker user (deploy/local/servers.sh creates trust-&lt;service&gt;), whose rights cover its own
    /// queues and the exchanges of its events only. There is no default: RabbitMQ's stock <c>guest</c> is an
    /// administrator of <c>/</c> with a published password.
    /// </summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>
    /// Declare the service's queues (and their <c>_error</c> and <c>_skipped</c> queues, which copy their arguments) as
    /// quorum queues: replicated across a RabbitMQ cluster's nodes, so a node lost loses no message. Off by default, as
    /// the local single-node broker's queues are classic and a queue's type cannot change once declared; on in the
    /// Kubernetes overlay (deploy/k8s).
    /// </summary>
    public bool QuorumQueues { get; set; }

    /// <summary>
    /// The AMQP heartbeat asked of the broker: a connection that has received nothing for about three of these is declared
    /// dead by the client and opened again. RabbitMQ's own 60 s means three minutes or more of silence before that, which
    /// is also how long RabbitMQ.Client 7.2 stays wedged when the broker closes a connection while its outgoing frame queue
    /// is full (a broker restart during a burst of publishes): the close is never finished, so nothing reconnects, and
    /// every publish and every consumer of the service waits. 10 s bounds that to about half a minute, within RabbitMQ's
    /// advised 5-20 s (docs/adr/0009).
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);

    internal bool HasOwnCredentials =>
        !string.IsNullOrWhiteSpace(Username) && !string.IsNullOrEmpty(Password) && !string.Equals(Username, "guest", StringComparison.OrdinalIgnoreCase);
}

public static class MessagingExtensions
{
    /// <summary>The outbox and inbox tables every service schema has.</summary>
    public static IReadOnlyList<MigrationScript> Migrations { get; } = MigrationScript.Renumbered(
        MigrationScript.FromAssembly(typeof(MessagingExtensions).Assembly, "platform"),
        // Platform migrations share one journal with the directory's and API keys' scripts: numbers are unique across them.
        new Dictionary<string, string>
        {
            ["0004_outbox_json.sql"] = "0003_outbox_json.sql",
            ["0005_outbox_seq_not_unique.sql"] = "0004_outbox_seq_not_unique.sql",
            ["0007_outbox_batches.sql"] = "0005_outbox_batches.sql",
            ["0008_outbox_dispatcher_role.sql"] = "0006_outbox_dispatcher_role.sql",
            ["0009_outbox_clock.sql"] = "0007_outbox_clock.sql",
        });

    /// <summary>
    /// MassTransit over RabbitMQ (durable queues, publisher confirms), the outbox dispatcher, and the
    /// consumers found in <paramref name="consumerAssembly"/>. Queue names carry the service name so
    /// each service gets its own copy of every event it subscribes to.
    /// </summary>
    public static IServiceCollection AddPlatformMessaging(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Assembly consumerAssembly,
        Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection("RabbitMq"))
            .Validate(o => o.HasOwnCredentials,
                "RabbitMq:Username and RabbitMq:Password are required and may not be RabbitMQ's default guest: each service connects as its own broker user.")
            .Validate(o => o.Heartbeat >= TimeSpan.FromSeconds(1) && o.Heartbeat <= TimeSpan.FromMinutes(10),
                "RabbitMq:Heartbeat must be between 00:00:01 and 00:10:00: without one a dead or wedged broker connection is never replaced.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection("Outbox"));

        // The dispatcher claims, marks and purges outbox rows as a role of its own; the app role that serves requests may
        // only add rows (platform migration 0008). Checked when the dispatcher starts, not on every use of DatabaseOptions:
        // the `migrate` verb needs no dispatcher.
        services.AddOptions<DatabaseOptions>().Configure(o => o.DispatcherConnectionString = configuration.GetConnectionString("Dispatcher"));
        services.AddKeyedSingleton(OutboxDispatcher.DataSourceKey, (sp, _) =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.DispatcherConnectionString is { Length: > 0 } connectionString
                ? NpgsqlDataSource.Create(connectionString)
                : throw new InvalidOperationException(
                    "ConnectionStrings:Dispatcher is required: the outbox dispatcher connects as its own role (Database:DispatcherRole)."));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxHealth>();
        services.AddSingleton<OutboxSignalInterceptor>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // The service starts without waiting for the broker: one started while RabbitMQ is down serves what needs only
            // PostgreSQL (events wait in the outbox) and binds its consumers when the broker answers. Until they have been
            // bound once it is not ready (BrokerHealthCheck), so nothing is routed to it that expects its consumers. Waiting
            // instead held Kestrel closed (no liveness) and gave up after a timeout: a restart loop with a growing back-off.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });

        services.AddMassTransit(bus =>
        {
            bus.AddConsumers(consumerAssembly);
            configureBus?.Invoke(bus);
            // Every queue and endpoint exchange of the service is "<service>-...", which is what its broker user's rights
            // cover (deploy/local/servers.sh, tp_rabbitmq_permissions).
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            // Nobody consumes Fault<T>, and publishing one would need rights on MassTransit:Fault-- exchanges of other
            // services' events; a message that keeps failing still lands in the endpoint's own _error queue.
            bus.AddConfigureEndpointsCallback((_, endpoint) => endpoint.PublishFaults = false);
            if (configuration.GetSection("RabbitMq").Get<RabbitMqOptions>()?.QuorumQueues == true)
            {
                // Receive endpoints only: the bus's temporary queue is auto-delete, which a quorum queue cannot be.
                bus.AddConfigureEndpointsCallback((_, endpoint) => (endpoint as IRabbitMqReceiveEndpointConfigurator)?.SetQuorumQueue());
            }

            bus.UsingRabbitMq((context, cfg) =>
            {
                // Read without validation: the bus is built whenever the health checks are mapped, also by the `migrate` verb,
                // which needs no broker; the service itself refuses to start without credentials (ValidateOnStart above).
                var rabbit = configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                    host.PublisherConfirmation = true;
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                    host.Heartbeat(rabbit.Heartbeat);
                });
                // The temporary bus queue (request clients, if one is ever used) is named like the service's others.
                cfg.OverrideDefaultBusEndpointQueueName($"{serviceName}-bus-{NewId.NextGuid():N}");
                // Events are published to their own type's exchange only. MassTransit would also declare an exchange per
                // interface (IIntegrationEvent, ISchoolEvent) and bind every event's exchange to it, so every publisher
                // would need write on those shared exchanges; nothing consumes the interfaces.
                cfg.Publish<IIntegrationEvent>(p => p.Exclude = true);
                cfg.Publish<ISchoolEvent>(p => p.Exclude = true);
                cfg.Durable = true;
                cfg.UseMessageRetry(r => r.Exponential(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    /// <summary>Registers the interceptor that wakes the dispatcher on commit; call from AddDbContext.</summary>
    public static DbContextOptionsBuilder UseOutboxSignal(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(services.GetRequiredService<OutboxSignalInterceptor>());
}
