using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Trust.Platform.Messaging;

namespace Trust.Platform.Libs.Tests;

/// <summary>Broker credentials come from configuration only: nothing falls back to RabbitMQ's stock guest/guest.</summary>
public sealed class MessagingOptionsTests
{
    private static RabbitMqOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlatformMessaging(configuration, "accounts", typeof(MessagingOptionsTests).Assembly);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
    }

    [Fact]
    public void A_service_without_broker_credentials_refuses_to_start_instead_of_using_guest()
    {
        var act = () => Resolve(new() { ["RabbitMq:Host"] = "127.0.0.1" });
        act.Should().Throw<OptionsValidationException>().WithMessage("*RabbitMq:Username*");
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
}
