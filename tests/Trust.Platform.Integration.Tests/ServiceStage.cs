using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Integration.Tests;

/// <summary>
/// A fresh database and virtual host with the schemas of one or more services migrated, a port for each, and tokens they
/// accept: the services run as their own processes (<see cref="ServiceProcess"/>). Key reconciliation asks Policy: Policy
/// itself when it is on the stage, otherwise a loopback port where nothing listens (the replicas learn of keys by event
/// only, as while Policy is down).
/// </summary>
internal sealed class ServiceStage : IAsyncDisposable
{
    private readonly DirectoryInfo _evidence = Directory.CreateTempSubdirectory("tp-fault-");
    private readonly Dictionary<string, int> _ports;
    private DevTokenIssuer _tokens = null!;

    private ServiceStage(IReadOnlyList<string> services)
    {
        Services = services;
        _ports = services.ToDictionary(s => s, _ => ServiceProcess.FreePort(), StringComparer.Ordinal);
    }

    /// <summary>The services on the stage; the first is the one <see cref="Start(Dictionary{string, string}?)"/> and friends mean.</summary>
    public IReadOnlyList<string> Services { get; }

    public string Service => Services[0];

    public TestServers Servers { get; private set; } = null!;

    public int Port => _ports[Service];

    public string Url => UrlOf(Service);

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<ServiceStage> CreateAsync(string name, params string[] services)
    {
        var stage = new ServiceStage(services);
        stage.Servers = await TestServers.CreateAsync(name);
        stage._tokens = new DevTokenIssuer(Options.Create(new AuthOptions { SigningKey = stage.Servers.SigningKey }), TimeProvider.System);
        foreach (var service in services)
        {
            await ServiceProcess.MigrateAsync(stage.Servers, service, stage._evidence.FullName);
        }

        return stage;
    }

    public string UrlOf(string service) => $"http://127.0.0.1:{_ports[service]}";

    /// <summary>Starts the first service; <paramref name="settings"/> override the stage's (a login pointed nowhere).</summary>
    public Process Start(Dictionary<string, string>? settings = null) => Start(Service, settings);

    /// <summary>Starts <paramref name="service"/> on its port; <paramref name="settings"/> override the stage's.</summary>
    public Process Start(string service, Dictionary<string, string>? settings = null)
    {
        var policyUrl = _ports.ContainsKey("Policy") ? UrlOf("Policy") : $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        var all = new Dictionary<string, string>(settings ?? []) { ["ApiKeys__PolicyUrl"] = policyUrl };
        return ServiceProcess.Start(Servers, service, _ports[service], _evidence.FullName, settings: all);
    }

    /// <summary>Waits until the first service answers <paramref name="path"/> with 200.</summary>
    public Task WaitReadyAsync(Process process, TimeSpan timeout, string path = "/health/ready") => WaitReadyAsync(Service, process, timeout, path);

    public Task WaitReadyAsync(string service, Process process, TimeSpan timeout, string path = "/health/ready") =>
        ServiceProcess.WaitReadyAsync(Http, service, _ports[service], process, timeout, path);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, DevUser user, JsonObject? body = null) =>
        SendAsync(Service, method, path, user, body);

    public async Task<HttpResponseMessage> SendAsync(
        string service, HttpMethod method, string path, DevUser user, JsonObject? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, UrlOf(service) + path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Mint(user));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>The count <paramref name="sql"/> (a <c>count(*)</c>, as the owner: no tenant) answers, with <paramref name="trust"/> as <c>$1</c> when given.</summary>
    public static async Task<long> CountAsync(Npgsql.NpgsqlDataSource owner, string sql, Guid? trust = null)
    {
        await using var command = owner.CreateCommand(sql);
        if (trust is { } t)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = t });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Servers.DisposeAsync();
        _evidence.Delete(recursive: true);
    }
}
