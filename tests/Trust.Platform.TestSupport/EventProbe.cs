using System.Collections.Concurrent;
using MassTransit;
namespace Trust.Platform.TestSupport;

/// <summary>
/// A consumer of <typeparamref name="TEvent"/> on a bus of its own (like TestSupport's CountingProbe):
/// what it receives really left the service through RabbitMQ, not just the outbox table.
/// </summary>
public sealed class EventProbe<TEvent> : IAsyncDisposable
    where TEvent : class
{
    private readonly IBusControl _bus;

    private EventProbe(IBusControl bus, ConcurrentQueue<TEvent> received, ConcurrentQueue<(TEvent, DateTimeOffset)> arrivals)
    {
        _bus = bus;
        Received = received;
        Arrivals = arrivals;
    }

    public ConcurrentQueue<TEvent> Received { get; }

    /// <summary>When each event arrived, by the real clock: for benchmarks that measure latency across processes.</summary>
    public ConcurrentQueue<(TEvent Event, DateTimeOffset At)> Arrivals { get; }

    /// <summary>Starts and binds its queue before returning, so nothing published afterwards is missed.</summary>
    public static async Task<EventProbe<TEvent>> StartAsync(TestServers servers)
    {
        var received = new ConcurrentQueue<TEvent>();
        var arrivals = new ConcurrentQueue<(TEvent, DateTimeOffset)>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestEnvironment.RabbitHost, (ushort)TestEnvironment.RabbitPort, servers.VirtualHost.Name, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            });
            cfg.ReceiveEndpoint($"it-probe-{typeof(TEvent).Name.ToLowerInvariant()}-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<TEvent>(context =>
                {
                    arrivals.Enqueue((context.Message, TimeProvider.System.GetUtcNow()));
                    received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        return new EventProbe<TEvent>(bus, received, arrivals);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
