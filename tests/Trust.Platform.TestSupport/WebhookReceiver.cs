using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Trust.Platform.TestSupport;

/// <summary>
/// A webhook receiver on loopback for the suite, as an integrator would write one: it verifies each request's signature
/// with the given check (the secret it was shown), records every request, and answers 503 while <see cref="Down"/> is set.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in order: the answer given, whether the signature verified, the event id and the body.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    public volatile bool Down;

    public Func<string, string, bool> Verify { get; set; } = (_, _) => false;

    /// <summary>Called with the event id and body of each request as it arrives (the benchmark stamps arrival times).</summary>
    public Action<string, string>? OnRequest { get; set; }

    public string Url { get; private set; } = "";

    public sealed record Received(int Answer, bool SignatureValid, string EventId, string EventType, string Body);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var valid = receiver.Verify(request.Headers["Trust-Platform-Signature"].ToString(), body);
            receiver.OnRequest?.Invoke(request.Headers["Trust-Platform-Event-Id"].ToString(), body);
            var answer = receiver.Down ? 503 : valid ? 204 : 401;
            receiver.Requests.Enqueue(new Received(
                answer, valid, request.Headers["Trust-Platform-Event-Id"].ToString(), request.Headers["Trust-Platform-Event-Type"].ToString(), body));
            return Results.StatusCode(answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
