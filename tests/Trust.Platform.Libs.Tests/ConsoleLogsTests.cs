using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Trust.Platform.Hosting.Observability;

namespace Trust.Platform.Libs.Tests;

/// <summary>Production writes one JSON object per log line for the cluster's log collector; a developer reads plain lines.</summary>
public sealed class ConsoleLogsTests
{
    private static string? FormatterIn(string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole();
        builder.Logging.AddPlatformConsole(builder.Environment, builder.Configuration);
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
    }

    [Fact]
    public void In_production_the_console_writes_json()
    {
        FormatterIn(Environments.Production).Should().Be(ConsoleFormatterNames.Json);
    }

    [Fact]
    public void In_development_the_console_keeps_its_plain_lines()
    {
        FormatterIn(Environments.Development).Should().NotBe(ConsoleFormatterNames.Json);
    }

    [Fact]
    public void A_formatter_named_in_configuration_wins_in_production()
    {
        FormatterIn(Environments.Production, new() { ["Logging:Console:FormatterName"] = ConsoleFormatterNames.Simple })
            .Should().Be(ConsoleFormatterNames.Simple);
    }
}
