using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Integration.Tests;

/// <summary>
/// Faults only a real process shows: Policy runs as its own process from its Release output (in Production, as deploy/run.sh
/// runs it) on a fresh database and virtual host, and is killed with SIGKILL (no shutdown, no flush).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProcessFaultTests(ITestOutputHelper output)
{
    private const int Schools = 20;

    [Fact]
    public async Task A_service_killed_after_its_commits_and_before_its_outbox_delivered_them_delivers_each_event_once_when_restarted()
    {
        await using var stage = await PolicyStage.CreateAsync("fault");
        await using var probe = await EventProbe<SchoolAdded>.StartAsync(stage.Servers);
        await using var owner = NpgsqlDataSource.Create(stage.Servers.Database.OwnerConnectionString);

        // First life: its outbox dispatcher cannot reach the database (its own login, on a port where nothing listens), so every
        // event the service commits waits in the outbox, as after a commit and before the dispatcher's next pass.
        var schools = new List<Guid>();
        var first = stage.Start(new()
        {
            ["ConnectionStrings__Dispatcher"] = new NpgsqlConnectionStringBuilder(stage.Servers.Database.DispatcherConnectionString) { Port = ServiceProcess.FreePort() }.ConnectionString,
        });
        try
        {
            await ServiceProcess.WaitReadyAsync(stage.Http, "Policy", stage.Port, first, TimeSpan.FromSeconds(90));
            using var created = await stage.SendAsync(HttpMethod.Post, "/v1/trusts", new DevUser("fault-op", "Operator", null, [Roles.PlatformOperator]),
                new JsonObject { ["name"] = "Fault Trust", ["firstAdmin"] = new JsonObject { ["displayName"] = "Admin", ["email"] = "admin@fault.example" } });
            await Http.EnsureSuccessAsync(created);
            var admin = new DevUser("fault-admin", "Admin", (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), [Roles.TrustAdmin]);
            for (var i = 0; i < Schools; i++)
            {
                using var school = await stage.SendAsync(HttpMethod.Post, "/v1/schools", admin,
                    new JsonObject { ["name"] = $"Fault School {i}", ["urn"] = (700000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), ["phase"] = "primary" });
                await Http.EnsureSuccessAsync(school);
                schools.Add((await school.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
            }

            (await PendingAsync(owner)).Should().BeGreaterThanOrEqualTo(Schools + 1, "each school's event is committed with it and none could be delivered");

            // Readiness reports it: still 200 (the service takes requests), with the outbox Degraded, not a silent "Healthy".
            var outbox = await Eventually.Until(() => ReadinessAsync(stage), r => r.Outbox == "Degraded", TimeSpan.FromSeconds(30), "readiness reports the outbox");
            outbox.Status.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            ServiceProcess.Stop(first);
        }

        probe.Received.Where(e => schools.Contains(e.SchoolId)).Should().BeEmpty();

        // Second life, with its login: ready, and every committed event delivered once.
        var clock = Stopwatch.StartNew();
        var second = stage.Start();
        try
        {
            await ServiceProcess.WaitReadyAsync(stage.Http, "Policy", stage.Port, second, TimeSpan.FromSeconds(30));
            var ready = clock.Elapsed;
            await Eventually.Until(() => Task.FromResult(probe.Received.Where(e => schools.Contains(e.SchoolId)).Select(e => e.SchoolId).Distinct().Count()),
                n => n == Schools, TimeSpan.FromSeconds(30), "every school's event delivered after the restart");
            var delivered = clock.Elapsed;
            await Eventually.Until(() => PendingAsync(owner), n => n == 0, TimeSpan.FromSeconds(30), "the outbox drained");
            (await ReadinessAsync(stage)).Outbox.Should().Be("Healthy", "the dispatcher's passes succeed again");

            // A second delivery of any of them would be a second message with the same event id on the probe's queue.
            probe.Received.Where(e => schools.Contains(e.SchoolId)).Should().HaveCount(Schools).And.OnlyHaveUniqueItems(e => e.EventId);
            output.WriteLine($"SIGKILL with {Schools + 1} events in the outbox: ready again {ready.TotalSeconds:F1} s after the restart, every event delivered once {delivered.TotalSeconds:F1} s after it");
        }
        finally
        {
            ServiceProcess.Stop(second);
        }
    }

    [Fact]
    public async Task While_its_database_cannot_be_reached_a_service_answers_503_with_retry_after_at_once_and_serves_again_when_it_can()
    {
        await using var stage = await PolicyStage.CreateAsync("faultdb");
        var admin = new DevUser("fault-admin", "Admin", Guid.CreateVersion7(), [Roles.TrustAdmin]);

        // Its login points where nothing listens: a database that is down, as a client sees it.
        var down = stage.Start(new()
        {
            ["ConnectionStrings__App"] = new NpgsqlConnectionStringBuilder(stage.Servers.Database.AppConnectionString) { Port = ServiceProcess.FreePort() }.ConnectionString,
        });
        try
        {
            await ServiceProcess.WaitReadyAsync(stage.Http, "Policy", stage.Port, down, TimeSpan.FromSeconds(90), "/health/live");
            using (var ready = await stage.Http.GetAsync($"{stage.Url}/health/ready"))
            {
                ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "readiness reports the database");
            }

            var clock = Stopwatch.StartNew();
            using var response = await stage.SendAsync(HttpMethod.Get, "/v1/schools", admin);
            var answeredIn = clock.Elapsed;
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            response.Headers.RetryAfter!.Delta.Should().BePositive();
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            problem["status"]!.GetValue<int>().Should().Be(503);
            problem.ContainsKey("traceId").Should().BeTrue();
            answeredIn.Should().BeLessThan(TimeSpan.FromSeconds(20), "a client is answered, not left hanging");
            output.WriteLine($"database unreachable: 503 with Retry-After {response.Headers.RetryAfter.Delta!.Value.TotalSeconds:F0} s, answered in {answeredIn.TotalMilliseconds:F0} ms");
        }
        finally
        {
            ServiceProcess.Stop(down);
        }

        // The same service with its database: ready within 30 s, and the same request served.
        var clockUp = Stopwatch.StartNew();
        var up = stage.Start();
        try
        {
            await ServiceProcess.WaitReadyAsync(stage.Http, "Policy", stage.Port, up, TimeSpan.FromSeconds(30));
            output.WriteLine($"database reachable again: ready {clockUp.Elapsed.TotalSeconds:F1} s after the start");
            using var response = await stage.SendAsync(HttpMethod.Get, "/v1/schools", admin);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            ServiceProcess.Stop(up);
        }
    }

    /// <summary>The readiness answer's status and its outbox check.</summary>
    private static async Task<(HttpStatusCode Status, string? Outbox)> ReadinessAsync(PolicyStage stage)
    {
        using var ready = await stage.Http.GetAsync($"{stage.Url}/health/ready");
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync());
        return (ready.StatusCode, (string?)body?["checks"]?["outbox"]?["status"]);
    }

    private static async Task<long> PendingAsync(NpgsqlDataSource owner)
    {
        await using var command = owner.CreateCommand("SELECT count(*) FROM policy.outbox_messages WHERE sent_at IS NULL");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A fresh database and virtual host with Policy's schema migrated, a port for Policy, and tokens it accepts.</summary>
    private sealed class PolicyStage : IAsyncDisposable
    {
        private readonly DirectoryInfo _evidence = Directory.CreateTempSubdirectory("tp-fault-");
        private DevTokenIssuer _tokens = null!;

        public TestServers Servers { get; private set; } = null!;

        public int Port { get; } = ServiceProcess.FreePort();

        public string Url => $"http://127.0.0.1:{Port}";

        public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

        public static async Task<PolicyStage> CreateAsync(string name)
        {
            var stage = new PolicyStage();
            stage.Servers = await TestServers.CreateAsync(name);
            stage._tokens = new DevTokenIssuer(Options.Create(new AuthOptions { SigningKey = stage.Servers.SigningKey }), TimeProvider.System);
            await ServiceProcess.MigrateAsync(stage.Servers, "Policy", stage._evidence.FullName);
            return stage;
        }

        /// <summary>Starts Policy on <see cref="Port"/>; <paramref name="settings"/> override the stage's (a login pointed nowhere).</summary>
        public Process Start(Dictionary<string, string>? settings = null)
        {
            var all = new Dictionary<string, string>(settings ?? []) { ["ApiKeys__PolicyUrl"] = Url };
            return ServiceProcess.Start(Servers, "Policy", Port, _evidence.FullName, settings: all);
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, DevUser user, JsonObject? body = null)
        {
            using var request = new HttpRequestMessage(method, Url + path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Mint(user));
            return await Http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Servers.DisposeAsync();
            _evidence.Delete(recursive: true);
        }
    }
}
