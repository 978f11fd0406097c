using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>Declares a queue of Accounts' that no service has, so the test sees what the platform's bus declares.</summary>
public sealed class QuorumProbeConsumer : IConsumer<SchoolAdded>
{
    public Task Consume(ConsumeContext<SchoolAdded> context) => Task.CompletedTask;
}

/// <summary>
/// On a RabbitMQ cluster the services' queues are quorum queues (replicated by Raft, so a node lost loses no message);
/// a single local node keeps RabbitMQ's classic queues, because a queue's type cannot change once it is declared.
/// </summary>
public sealed class QuorumQueueTests
{
    private const string ProbeQueue = "accounts-quorum-probe";

    [Fact]
    public async Task With_quorum_queues_on_every_receive_endpoint_is_declared_as_a_quorum_queue()
    {
        (await DeclaredQueueTypeAsync(quorumQueues: "true")).Should().Be("quorum");
    }

    [Fact]
    public async Task By_default_the_receive_endpoints_stay_classic_queues_as_the_local_broker_has_them()
    {
        (await DeclaredQueueTypeAsync(quorumQueues: null)).Should().Be("classic");
    }

    /// <summary>Starts the platform's bus as Accounts on a vhost of its own and asks the broker what it declared.</summary>
    private static async Task<string> DeclaredQueueTypeAsync(string? quorumQueues)
    {
        await using var virtualHost = await TestVirtualHost.CreateAsync("quorum");
        var credentials = virtualHost.CredentialsFor("accounts");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = TestEnvironment.RabbitHost,
            ["RabbitMq:Port"] = TestEnvironment.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = virtualHost.Name,
            ["RabbitMq:Username"] = credentials.Username,
            ["RabbitMq:Password"] = credentials.Password,
            ["RabbitMq:QuorumQueues"] = quorumQueues,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TestClock.Provider);
        services.AddPlatformMessaging(configuration, "accounts", typeof(QuorumQueueTests).Assembly);
        await using var provider = services.BuildServiceProvider();

        // The bus alone (not the host, whose outbox dispatcher would need a database): starting it declares the topology.
        var bus = provider.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        try
        {
            var queues = await ListQueuesAsync(virtualHost.Name);
            queues.Should().ContainKey(ProbeQueue, "the probe consumer's endpoint is declared when the bus starts");
            return queues[ProbeQueue];
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Queue name to type (classic, quorum, stream) on <paramref name="vhost"/>, as rabbitmqctl reports them.</summary>
    private static async Task<Dictionary<string, string>> ListQueuesAsync(string vhost)
    {
        var ctl = (Environment.GetEnvironmentVariable("TP_RABBITMQ_CTL")
                   ?? throw new InvalidOperationException("TP_RABBITMQ_CTL is not set: run `eval \"$(deploy/local/servers.sh env)\"` first."))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(ctl[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in ctl.Skip(1).Concat(["list_queues", "-q", "--no-table-headers", "-p", vhost, "name", "type"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl list_queues failed ({process.ExitCode}): {await errors}");
        }

        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
    }
}
