using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Trust.Platform.Gateway.Tests;

/// <summary>A request as a listener saw it: the target exactly as it arrived and every header.</summary>
public sealed record RecordedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real Kestrel listener on a loopback port that records every request it receives and answers
/// 200 with its own name. Standing in for a service (or a host nobody should reach), it proves where a
/// request that went through the gateway really arrived.
/// </summary>
public sealed class RecordingListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _received = new();

    private RecordingListener(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyCollection<RecordedRequest> Received => _received;

    /// <summary>How long the listener waits before it answers (a slow service).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Headers the listener adds to its answers (e.g. a hop-by-hop header a proxy must drop).</summary>
    public IDictionary<string, string> ResponseHeaders { get; } = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public void Clear() => _received.Clear();

    public static async Task<RecordingListener> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new RecordingListener(name, app);
        app.Run(async context =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            listener._received.Enqueue(new RecordedRequest(context.Request.Method, target,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            // Read the whole body first, as a service does, so a body the gateway cuts short is seen as an error.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            if (listener.Delay > TimeSpan.Zero)
            {
                await Task.Delay(listener.Delay, context.RequestAborted);
            }

            context.Response.ContentType = "text/plain";
            context.Response.Headers["X-Answered-By"] = name;
            foreach (var (header, value) in listener.ResponseHeaders)
            {
                context.Response.Headers[header] = value;
            }

            await context.Response.WriteAsync(name + " " + target);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        listener.Address = new Uri(address);
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
