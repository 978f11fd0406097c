using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Trust.Platform.Gateway.Tests;

/// <summary>
/// The gateway on a real Kestrel port in front of four recording listeners (one per service) and a
/// canary listener that stands for any other host on the machine. Nothing but the gateway's own
/// route to a service should ever reach a listener.
/// </summary>
public sealed class ListeningGateway : IAsyncDisposable
{
    private WebApplicationFactory<GatewayService> _factory = null!;

    private ListeningGateway()
    {
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyDictionary<string, RecordingListener> Services { get; private set; } = null!;

    public RecordingListener Canary { get; private set; } = null!;

    public IEnumerable<RecordingListener> All => Services.Values.Append(Canary);

    public IServiceProvider GatewayServices => _factory.Services;

    public static async Task<ListeningGateway> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var gateway = new ListeningGateway();
        var services = new Dictionary<string, RecordingListener>();
        foreach (var service in GatewayService.Services)
        {
            services[service] = await RecordingListener.StartAsync(service);
        }

        gateway.Services = services;
        gateway.Canary = await RecordingListener.StartAsync("canary");
        gateway._factory = new Factory(services.ToDictionary(s => s.Key, s => s.Value.Address.ToString().TrimEnd('/')), settings ?? new Dictionary<string, string?>());
        gateway._factory.UseKestrel(0);
        gateway._factory.StartServer();
        using var client = gateway._factory.CreateClient();
        gateway.Address = client.BaseAddress!;
        return gateway;
    }

    public Task<RawResponse> SendAsync(string method, string target, IEnumerable<(string Name, string Value)>? headers = null, byte[]? body = null) =>
        RawHttp.SendAsync(Address, method, target, headers, body);

    public void ClearRecords()
    {
        foreach (var listener in All)
        {
            listener.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        foreach (var listener in All)
        {
            await listener.DisposeAsync();
        }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string> services, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<GatewayService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (service, address) in services)
            {
                builder.UseSetting($"Services:{service}", address);
            }

            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
