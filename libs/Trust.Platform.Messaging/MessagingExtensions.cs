using System.Reflection;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Messaging;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";
}

public static class MessagingExtensions
{
    /// <summary>The outbox and inbox tables every service schema has.</summary>
    public static IReadOnlyList<MigrationScript> Migrations { get; } =
        MigrationScript.FromAssembly(typeof(MessagingExtensions).Assembly, "platform");

    /// <summary>
    /// MassTransit over RabbitMQ (durable queues, publisher confirms), the outbox dispatcher, and the
    /// consumers found in <paramref name="consumerAssembly"/>. Queue names carry the service name so
    /// each service gets its own copy of every event it subscribes to.
    /// </summary>
    public static IServiceCollection AddPlatformMessaging(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Assembly consumerAssembly,
        Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection("RabbitMq"));
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection("Outbox"));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxSignalInterceptor>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // Consumers are bound before the service reports started, so nothing published at start-up is missed.
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });

        services.AddMassTransit(bus =>
        {
            bus.AddConsumers(consumerAssembly);
            configureBus?.Invoke(bus);
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            bus.UsingRabbitMq((context, cfg) =>
            {
                var rabbit = configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                    host.PublisherConfirmation = true;
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
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
