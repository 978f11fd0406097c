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
/// Faults only a real process shows: Policy runs as its own process from its published output (deploy/publish.sh; in Production, as deploy/run.sh
/// runs it) on a fresh database and virtual host, and is killed with SIGKILL (no shutdown, no flush).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProcessFaultTests(ITestOutputHelper output)
{
    private const int Schools = 20;
    private const string PendingSql = "SELECT count(*) FROM policy.outbox_messages WHERE sent_at IS NULL";
    private const string JoinersAppliedSql = "SELECT count(*) FROM incidents.inbox_messages WHERE consumer = 'StaffJoinedConsumer'";

    [Fact]
    public async Task A_service_killed_after_its_commits_and_before_its_outbox_delivered_them_delivers_each_event_once_when_restarted()
    {
        await using var stage = await ServiceStage.CreateAsync("fault", "Policy");
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
            await stage.WaitReadyAsync(first, TimeSpan.FromSeconds(90));
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

            (await ServiceStage.CountAsync(owner, PendingSql)).Should().BeGreaterThanOrEqualTo(Schools + 1, "each school's event is committed with it and none could be delivered");

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
            await stage.WaitReadyAsync(second, TimeSpan.FromSeconds(30));
            var ready = clock.Elapsed;
            await Eventually.Until(() => Task.FromResult(probe.Received.Where(e => schools.Contains(e.SchoolId)).Select(e => e.SchoolId).Distinct().Count()),
                n => n == Schools, TimeSpan.FromSeconds(30), "every school's event delivered after the restart");
            var delivered = clock.Elapsed;
            await Eventually.Until(() => ServiceStage.CountAsync(owner, PendingSql), n => n == 0, TimeSpan.FromSeconds(30), "the outbox drained");
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
        await using var stage = await ServiceStage.CreateAsync("faultdb", "Policy");
        var admin = new DevUser("fault-admin", "Admin", Guid.CreateVersion7(), [Roles.TrustAdmin]);

        // Its login points where nothing listens: a database that is down, as a client sees it.
        var down = stage.Start(new()
        {
            ["ConnectionStrings__App"] = new NpgsqlConnectionStringBuilder(stage.Servers.Database.AppConnectionString) { Port = ServiceProcess.FreePort() }.ConnectionString,
        });
        try
        {
            await stage.WaitReadyAsync(down, TimeSpan.FromSeconds(90), "/health/live");
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
            await stage.WaitReadyAsync(up, TimeSpan.FromSeconds(30));
            output.WriteLine($"database reachable again: ready {clockUp.Elapsed.TotalSeconds:F1} s after the start");
            using var response = await stage.SendAsync(HttpMethod.Get, "/v1/schools", admin);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            ServiceProcess.Stop(up);
        }
    }

    [Fact]
    public async Task A_consumer_killed_in_the_middle_of_a_burst_applies_every_event_once_after_its_restart()
    {
        const int Staff = 3000;
        const int Duplicates = 500;
        await using var stage = await ServiceStage.CreateAsync("faultconsumer", "Incidents");
        await using var owner = NpgsqlDataSource.Create(stage.Servers.Database.OwnerConnectionString);
        var trust = Guid.CreateVersion7();
        var school = Guid.CreateVersion7();
        var joined = Enumerable.Range(0, Staff).Select(i => new StaffJoined(
            Guid.CreateVersion7(), trust, school, new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero), Guid.CreateVersion7(), $"MIS{i:00000}",
            $"Staff {i}", ["teacher"], new DateOnly(2026, 9, 1))).ToList();

        // First life: its queues are bound once it is ready. The burst is 3,000 joiners, then 500 of them again with the same
        // event ids, each with a later time and another role, so a duplicate applied would show in the replica.
        var first = stage.Start();
        int appliedAtKill;
        try
        {
            await stage.WaitReadyAsync(first, TimeSpan.FromSeconds(90));
            await Task.WhenAll(joined.Select(e => stage.Servers.PublishAsync(e)));
            await Task.WhenAll(joined.Take(Duplicates).Select(e => stage.Servers.PublishAsync(e with { OccurredAt = e.OccurredAt.AddHours(1), Roles = ["duplicate"] })));

            // Killed while it works through them, with deliveries in flight (prefetched, some handled and not yet acknowledged).
            appliedAtKill = (int)await Eventually.Until(() => ServiceStage.CountAsync(owner, JoinersAppliedSql), n => n >= 200, TimeSpan.FromSeconds(60), "the consumer is under way");
        }
        finally
        {
            ServiceProcess.Stop(first);
        }

        appliedAtKill.Should().BeLessThan(Staff, "the kill came in the middle of the burst");

        var clock = Stopwatch.StartNew();
        var second = stage.Start();
        try
        {
            await stage.WaitReadyAsync(second, TimeSpan.FromSeconds(30));
            var ready = clock.Elapsed;
            await Eventually.Until(() => ServiceStage.CountAsync(owner, JoinersAppliedSql), n => n == Staff, TimeSpan.FromSeconds(120), "every joiner applied after the restart");
            await Eventually.Until(QueuedAsync, n => n == 0, TimeSpan.FromSeconds(60), "every delivery, duplicates included, consumed and acknowledged");
            var drained = clock.Elapsed;

            (await ServiceStage.CountAsync(owner, JoinersAppliedSql)).Should().Be(Staff, "each event is claimed once");
            await using var roster = owner.CreateCommand(
                "SELECT count(*), count(*) FILTER (WHERE roles = '{teacher}'), count(DISTINCT staff_id) FROM incidents.staff_roster WHERE trust_id = $1 AND school_id = $2");
            roster.Parameters.Add(new NpgsqlParameter { Value = trust });
            roster.Parameters.Add(new NpgsqlParameter { Value = school });
            await using var reader = await roster.ExecuteReaderAsync();
            (await reader.ReadAsync()).Should().BeTrue();
            reader.GetInt64(0).Should().Be(Staff, "nothing lost");
            reader.GetInt64(1).Should().Be(Staff, "no duplicate was applied over its original");
            reader.GetInt64(2).Should().Be(Staff);
            output.WriteLine(
                $"consumer SIGKILLed with {appliedAtKill} of {Staff} joiners applied (and {Duplicates} duplicates queued): ready {ready.TotalSeconds:F1} s after the restart, " +
                $"all {Staff} applied once and the queues empty {drained.TotalSeconds:F1} s after it; 0 lost, 0 applied twice");
        }
        finally
        {
            ServiceProcess.Stop(second);
        }

        async Task<long> QueuedAsync()
        {
            // Ready plus unacknowledged messages on the stage's queues (the service's own and their error queues).
            var lines = await TestEnvironment.RabbitCtlAsync("list_queues", "-p", stage.Servers.VirtualHost.Name, "--quiet", "--no-table-headers", "name", "messages");
            return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('\t', StringSplitOptions.TrimEntries))
                .Where(c => c.Length == 2)
                .Sum(c => long.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The readiness answer's status and its outbox check.</summary>
    private static async Task<(HttpStatusCode Status, string? Outbox)> ReadinessAsync(ServiceStage stage)
    {
        using var ready = await stage.Http.GetAsync($"{stage.Url}/health/ready");
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync());
        return (ready.StatusCode, (string?)body?["checks"]?["outbox"]?["status"]);
    }
}
