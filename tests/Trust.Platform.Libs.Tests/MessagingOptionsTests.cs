using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Messaging;
using Trust.Platform.TestSupport;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Libs.Tests;

/// <summary>
/// Broker credentials come from configuration only (nothing falls back to RabbitMQ's stock guest/guest), and the outbox
/// dispatcher has a connection of its own.
/// </summary>
public sealed class MessagingOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlatformMessaging(configuration, "accounts", typeof(MessagingOptionsTests).Assembly);
        return services.BuildServiceProvider();
    }

    private static RabbitMqOptions Resolve(Dictionary<string, string?> settings)
    {
        using var provider = Build(settings);
        return provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
    }

    [Fact]
    public async Task A_service_without_broker_credentials_refuses_to_start_instead_of_using_guest()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = "127.0.0.1", ["ConnectionStrings:Dispatcher"] = "Host=127.0.0.1;Username=trust_dispatcher",
        });
        // The platform clock is registered by the service defaults; the dispatcher needs one to be built at all.
        builder.Services.AddSingleton(TestClock.Provider);
        builder.Services.AddPlatformMessaging(builder.Configuration, "accounts", typeof(MessagingOptionsTests).Assembly);
        using var host = builder.Build();
        var act = () => host.StartAsync();
        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage("*RabbitMq:Username*");
    }

    [Fact]
    public void The_guest_account_is_refused_even_when_configured()
    {
        var act = () => Resolve(new() { ["RabbitMq:Username"] = "guest", ["RabbitMq:Password"] = "guest" });
        act.Should().Throw<OptionsValidationException>().WithMessage("*guest*");
    }

    [Fact]
    public void A_service_with_its_own_user_gets_exactly_those_credentials()
    {
        var options = Resolve(new() { ["RabbitMq:Username"] = "trust-accounts", ["RabbitMq:Password"] = "s3cret-from-configuration" });
        (options.Username, options.Password).Should().Be(("trust-accounts", "s3cret-from-configuration"));
    }

    [Fact]
    public void The_broker_heartbeat_is_ten_seconds_unless_configured_and_cannot_be_turned_off()
    {
        var credentials = new Dictionary<string, string?> { ["RabbitMq:Username"] = "trust-accounts", ["RabbitMq:Password"] = "s3cret-from-configuration" };
        Resolve(credentials).Heartbeat.Should().Be(TimeSpan.FromSeconds(10));
        Resolve(new(credentials) { ["RabbitMq:Heartbeat"] = "00:00:20" }).Heartbeat.Should().Be(TimeSpan.FromSeconds(20));
        var off = () => Resolve(new(credentials) { ["RabbitMq:Heartbeat"] = "00:00:00" });
        off.Should().Throw<OptionsValidationException>().WithMessage("*RabbitMq:Heartbeat*");
    }

    [Fact]
    public void The_outbox_dispatcher_needs_a_connection_of_its_own()
    {
        using var provider = Build(new() { ["ConnectionStrings:App"] = "Host=127.0.0.1;Username=trust_app" });
        var act = () => provider.GetRequiredKeyedService<NpgsqlDataSource>(OutboxDispatcher.DataSourceKey);
        act.Should().Throw<InvalidOperationException>().WithMessage("*ConnectionStrings:Dispatcher*");
    }

    [Fact]
    public void The_outbox_dispatcher_connects_with_the_dispatcher_connection_string()
    {
        using var provider = Build(new() { ["ConnectionStrings:Dispatcher"] = "Host=127.0.0.1;Username=trust_dispatcher" });
        provider.GetRequiredKeyedService<NpgsqlDataSource>(OutboxDispatcher.DataSourceKey).ConnectionString.Should().Contain("Username=trust_dispatcher");
    }
}
