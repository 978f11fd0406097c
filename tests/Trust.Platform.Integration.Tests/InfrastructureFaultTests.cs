using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Integration.Tests;

/// <summary>
/// The tests that stop the shared PostgreSQL or RabbitMQ under running services. A collection of their own that runs alone
/// (xunit runs a collection that disables parallelisation by itself), so no other test or fixture of this suite is using the
/// servers while they are down, and none is left holding a pooled connection to the server that was restarted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InfrastructureFaultCollection
{
    public const string Name = "infrastructure-faults";
}

/// <summary>
/// PostgreSQL restarted and RabbitMQ stopped while Training syncs a 10,000-person roster and Incidents takes reports, both
/// services running as their own processes (as in production) on a fresh database and virtual host. Each shows: nothing
/// lost, nothing applied twice, clients answered (a 503 with Retry-After, never a 500 or a hang), and the services ready
/// again within 30 s of the server's return.
/// </summary>
[Collection(InfrastructureFaultCollection.Name)]
public sealed class InfrastructureFaultTests(ITestOutputHelper output)
{
    private const int People = 10_000;

    /// <summary>The longest a client may wait for an answer: past it, the request hung.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PostgreSQL_restarted_during_a_roster_sync_and_a_burst_of_reports_loses_nothing_applies_nothing_twice_and_answers_503s()
    {
        await using var roster = await RosterStage.StartAsync("faultpg");
        var (stage, owner, trust, school, admin) = (roster.Stage, roster.Owner, roster.Trust, roster.School, roster.Admin);
        var staff = new DevUser("fault-staff", "Staff", trust, [$"{Roles.Staff}:{school}"]);
        var answers = new ConcurrentQueue<Answer>();

        // The MIS sends its roster; four members of staff report one case after another with an Idempotency-Key each,
        // until seven seconds after the database is back. Each client retries a 503 after its Retry-After, as the answer asks.
        using var recovered = new CancellationTokenSource();
        var sync = UntilAcceptedAsync("roster sync", answers, () =>
            stage.SendAsync("Training", HttpMethod.Post, $"/v1/schools/{school}/roster/sync", admin, Roster(People, "teacher")));
        var reported = new ConcurrentBag<(string Key, Guid Case)>();
        var reporters = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            for (var i = 0; !recovered.IsCancellationRequested; i++)
            {
                var key = $"fault-{r}-{i}";
                using var receipt = await UntilAcceptedAsync("report", answers, () => stage.SendAsync("Incidents", HttpMethod.Post, $"/v1/schools/{school}/cases", staff,
                    Report(i), new Dictionary<string, string> { ["Idempotency-Key"] = key }));
                if (receipt.StatusCode != HttpStatusCode.Created)
                {
                    return; // recorded in the answers, which the checks below read
                }

                reported.Add((key, (await receipt.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>()));
            }
        })).ToList();

        // The fault, once both are under way: a fast shutdown (every session terminated, in-flight transactions rolled back),
        // 3 s down, then started again.
        await Eventually.Until(() => Task.FromResult(reported.Count), n => n >= 20, TimeSpan.FromSeconds(60), "reports are being filed");
        await TestEnvironment.PgCtlAsync("stop", "-m", "fast", "-w", "-t", "60");
        var reportedBeforeStop = reported.Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await TestEnvironment.PgCtlAsync("start", "-w", "-t", "60");
        var back = Stopwatch.StartNew();
        owner.Clear(); // the test's own idle connections died with the server
        await roster.WaitReadyAsync(TimeSpan.FromSeconds(30));
        var ready = back.Elapsed;
        // The burst goes on past the clients' Retry-After (5 s), so reports are filed after the outage as well as before it.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await recovered.CancelAsync();
        using (await sync)
        {
        }

        await Task.WhenAll(reporters);

        // Clients: every answer a 201 or a 503 with Retry-After, none slow enough to be a hang.
        if (answers.Any(a => a.Status is not (201 or 503)))
        {
            output.WriteLine(string.Join("\n", ["Training:", .. ServiceProcess.TailOf(roster.Training), "Incidents:", .. ServiceProcess.TailOf(roster.Incidents)]));
        }


        answers.Should().NotContain(a => a.Status != 201 && a.Status != 503, "a client gets its answer or a 503, never a 500");
        answers.Where(a => a.Status == 503).Should().NotBeEmpty("requests met the outage").And.OnlyContain(a => a.RetryAfter);
        answers.Should().OnlyContain(a => a.Took < Hang);

        // Nothing lost, nothing twice: each report filed once however often it was sent; the roster is 10,000 people
        // announced once each, and Incidents' replica applied each announcement once.
        var cases = await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.cases WHERE trust_id = $1", trust);
        cases.Should().Be(reported.Count, "each report is one case, its retries included");
        reported.Select(r => r.Case).Should().OnlyHaveUniqueItems();
        (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM training.people WHERE trust_id = $1 AND left_at IS NULL", trust)).Should().Be(People);
        (await ServiceStage.CountAsync(owner, JoinersAnnouncedSql)).Should().Be(People, "each joiner is announced once, however many times the MIS sent the roster");
        await roster.UntilDeliveredAsync(output, "SELECT count(*) FROM incidents.staff_roster WHERE trust_id = $1", People, TimeSpan.FromSeconds(120),
            "every joiner reaches Incidents", trust);
        var delivered = back.Elapsed;
        (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.inbox_messages WHERE consumer = 'StaffJoinedConsumer'")).Should().Be(People);

        var refused = answers.Count(a => a.Status == 503);
        var syncAnswers = string.Join(" then ", answers.Where(a => a.What == "roster sync").Select(a => a.Status));
        output.WriteLine(
            $"PostgreSQL stopped (fast) for 3 s during a {People:N0}-person roster sync (answered {syncAnswers}) and {reported.Count} reports ({reportedBeforeStop} filed before the stop): " +
            $"{refused} answers were 503 with Retry-After, 0 were 500, the slowest answer took {answers.Max(a => a.Took).TotalSeconds:F1} s; " +
            $"both services ready {ready.TotalSeconds:F1} s after the database started; every joiner in Incidents {delivered.TotalSeconds:F1} s after it; " +
            $"{cases} cases for {reported.Count} reports, {People:N0} people announced once: 0 lost, 0 twice");
    }

    [Fact]
    public async Task RabbitMQ_stopped_during_a_roster_sync_delays_the_announcements_and_loses_none()
    {
        await using var roster = await RosterStage.StartAsync("faultmq");
        var (stage, owner, trust, school, admin) = (roster.Stage, roster.Owner, roster.Trust, roster.School, roster.Admin);
        var answers = new ConcurrentQueue<Answer>();

        // The broker stops while the roster is being applied; the sync does not need it (its announcements wait in the outbox).
        var sync = UntilAcceptedAsync("roster sync", answers, () =>
            stage.SendAsync("Training", HttpMethod.Post, $"/v1/schools/{school}/roster/sync", admin, Roster(People, "teacher")));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await TestEnvironment.RabbitCtlAsync("stop_app");
        try
        {
            using (await sync)
            {
            }

            // A second sync while the broker is down: 1,000 of them become teaching assistants.
            using var changed = await UntilAcceptedAsync("roster sync", answers, () => stage.SendAsync("Training", HttpMethod.Post, $"/v1/schools/{school}/roster/sync", admin,
                Roster(People, i => i < 1000 ? "teaching_assistant" : "teacher")));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await TestEnvironment.RabbitCtlAsync("start_app");
        }

        var back = Stopwatch.StartNew();
        await roster.WaitReadyAsync(TimeSpan.FromSeconds(30));
        var ready = back.Elapsed;
        await roster.UntilDeliveredAsync(output, "SELECT count(*) FROM incidents.inbox_messages WHERE consumer IN ('StaffJoinedConsumer', 'StaffRoleChangedConsumer')",
            People + 1000, TimeSpan.FromSeconds(120), "every announcement reaches Incidents");
        var delivered = back.Elapsed;

        answers.Should().OnlyContain(a => a.Status == 201 && a.Took < Hang, "the syncs do not need the broker");
        (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.staff_roster WHERE trust_id = $1", trust)).Should().Be(People, "nothing lost");
        (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.staff_roster WHERE trust_id = $1 AND roles = '{teaching_assistant}'", trust)).Should().Be(1000,
            "each role change applied");
        (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM training.outbox_messages WHERE sent_at IS NULL")).Should().Be(0, "the outbox drained");
        output.WriteLine(
            $"RabbitMQ stopped during a {People:N0}-person roster sync and a second sync (1,000 role changes), for about 3 s after them: both syncs answered 201 " +
            $"(slowest {answers.Max(a => a.Took).TotalSeconds:F1} s); both services ready {ready.TotalSeconds:F1} s after the broker started; " +
            $"all {People + 1000:N0} announcements applied once in Incidents {delivered.TotalSeconds:F1} s after it: 0 lost, 0 twice");
    }

    [Fact]
    public async Task A_service_started_while_RabbitMQ_is_down_is_live_serves_from_its_database_and_is_ready_within_30_s_of_the_broker()
    {
        await using var roster = await RosterStage.StartAsync("faultstart");
        var (stage, owner, trust, school, admin) = (roster.Stage, roster.Owner, roster.Trust, roster.School, roster.Admin);
        var staff = new DevUser("fault-staff", "Staff", trust, [$"{Roles.Staff}:{school}"]);
        const int joiners = 1000;

        // Incidents is restarted (a deployment, a node lost) while the broker is down, and Training syncs a roster meanwhile.
        ServiceProcess.Stop(roster.Incidents);
        await TestEnvironment.RabbitCtlAsync("stop_app");
        Process? incidents = null;
        TimeSpan live, ready;
        int readyWhileDown, filedWhileDown, syncedWhileDown;
        try
        {
            var started = Stopwatch.StartNew();
            incidents = stage.Start("Incidents", RosterStage.Settings);
            await stage.WaitReadyAsync("Incidents", incidents, TimeSpan.FromSeconds(30), "/health/live");
            live = started.Elapsed;
            using (var probe = await stage.Http.GetAsync(stage.UrlOf("Incidents") + "/health/ready"))
            {
                readyWhileDown = (int)probe.StatusCode;
            }

            using (var receipt = await stage.SendAsync("Incidents", HttpMethod.Post, $"/v1/schools/{school}/cases", staff, Report(1)))
            {
                filedWhileDown = (int)receipt.StatusCode;
            }

            using (var sync = await stage.SendAsync("Training", HttpMethod.Post, $"/v1/schools/{school}/roster/sync", admin, Roster(joiners, "teacher")))
            {
                syncedWhileDown = (int)sync.StatusCode;
            }

            // A start used to hold the port closed while it waited for the bus, and exit when it gave up.
            await Task.Delay(TimeSpan.FromSeconds(5));
            incidents.HasExited.Should().BeFalse("a service does not exit for want of the broker");
        }
        finally
        {
            await TestEnvironment.RabbitCtlAsync("start_app");
        }

        try
        {
            var back = Stopwatch.StartNew();
            await stage.WaitReadyAsync("Incidents", incidents, TimeSpan.FromSeconds(30));
            ready = back.Elapsed;
            await roster.UntilDeliveredAsync(output, "SELECT count(*) FROM incidents.inbox_messages WHERE consumer = 'StaffJoinedConsumer'", joiners,
                TimeSpan.FromSeconds(120), "every announcement reaches the restarted Incidents", incidents: incidents);
            var delivered = back.Elapsed;

            live.Should().BeLessThan(TimeSpan.FromSeconds(10), "the service listens without the broker");
            readyWhileDown.Should().Be(503, "not ready while its consumers are not bound");
            filedWhileDown.Should().Be(201, "a report needs only the service's database");
            syncedWhileDown.Should().Be(201);
            (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.staff_roster WHERE trust_id = $1", trust)).Should().Be(joiners, "nothing lost");
            (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.cases WHERE trust_id = $1", trust)).Should().Be(1, "the report filed while the broker was down");
            (await ServiceStage.CountAsync(owner, "SELECT count(*) FROM incidents.outbox_messages WHERE sent_at IS NULL")).Should().Be(0, "its own events delivered");
            output.WriteLine(
                $"Incidents started while RabbitMQ was stopped: live after {live.TotalSeconds:F1} s, ready 503, a report filed (201) and a {joiners:N0}-person sync " +
                $"taken by Training (201); the process still running 5 s later; ready {ready.TotalSeconds:F1} s after the broker started; all {joiners:N0} " +
                $"announcements applied once {delivered.TotalSeconds:F1} s after it: 0 lost, 0 twice");
        }
        finally
        {
            ServiceProcess.Stop(incidents);
        }
    }

    /// <summary>The StaffJoined events in Training's outbox (the stage's own database): a sync's are batched, 500 to a row (OutboxBatch).</summary>
    private const string JoinersAnnouncedSql = """
        SELECT count(*) FROM training.outbox_messages o
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN o.message_type = 'batch' THEN o.body::jsonb ELSE jsonb_build_array(jsonb_build_object('type', o.message_type)) END) e
        WHERE e->>'type' LIKE '%StaffJoined'
        """;

    private sealed record Answer(string What, int Status, bool RetryAfter, TimeSpan Took);

    /// <summary>
    /// Sends until the answer is a success, as a client that honours Retry-After does: a 503 is retried after the seconds it
    /// names, anything else ends the loop (the caller's checks then fail on it). Every answer is recorded with its time.
    /// </summary>
    private static async Task<HttpResponseMessage> UntilAcceptedAsync(string what, ConcurrentQueue<Answer> answers, Func<Task<HttpResponseMessage>> send)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var clock = Stopwatch.StartNew();
            var response = await send();
            var retryAfter = response.Headers.RetryAfter?.Delta;
            answers.Enqueue(new Answer(what, (int)response.StatusCode, retryAfter is not null, clock.Elapsed));
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// Training and Incidents as processes on a fresh database and vhost, both ready, with one school (SchoolAdded, as Policy
    /// announces it) in both directories and its trust's admin; disposing stops both and drops the stage.
    /// </summary>
    private sealed class RosterStage : IAsyncDisposable
    {
        private RosterStage(ServiceStage stage, NpgsqlDataSource owner, Process training, Process incidents)
        {
            (Stage, Owner, Training, Incidents) = (stage, owner, training, incidents);
            Admin = new DevUser("fault-admin", "Admin", Trust, [Roles.TrustAdmin]);
        }

        public ServiceStage Stage { get; }

        /// <summary>The owner's login to the stage's database, for counting what each service stored.</summary>
        public NpgsqlDataSource Owner { get; }

        public Process Training { get; }

        public Process Incidents { get; }

        /// <summary>
        /// The outbox's safety poll is ten minutes here (30 s by default), so events held back by an outage can only be
        /// delivered within the tests' waits by what should deliver them: a commit, the outbox's NOTIFY, or the retry the
        /// dispatcher scheduled when a publish failed.
        /// </summary>
        public static Dictionary<string, string> Settings => new() { ["Outbox__PollInterval"] = "00:10:00" };

        public Guid Trust { get; } = Guid.CreateVersion7();

        public Guid School { get; } = Guid.CreateVersion7();

        public DevUser Admin { get; }

        public static async Task<RosterStage> StartAsync(string name)
        {
            var stage = await ServiceStage.CreateAsync(name, "Training", "Incidents");
            var roster = new RosterStage(stage, NpgsqlDataSource.Create(stage.Servers.Database.OwnerConnectionString), stage.Start("Training", Settings),
                stage.Start("Incidents", Settings));
            try
            {
                await roster.WaitReadyAsync(TimeSpan.FromSeconds(90));
                await stage.Servers.PublishAsync(new SchoolAdded(Guid.CreateVersion7(), roster.Trust, roster.School, new DateTimeOffset(2026, 9, 1, 7, 0, 0, TimeSpan.Zero),
                    "Fault Primary", "799001", "primary", null, "Europe/London", 1));
                await Eventually.Until(async () => await ServiceStage.CountAsync(roster.Owner, "SELECT count(*) FROM training.school_directory WHERE trust_id = $1", roster.Trust)
                    + await ServiceStage.CountAsync(roster.Owner, "SELECT count(*) FROM incidents.school_directory WHERE trust_id = $1", roster.Trust), n => n == 2,
                    TimeSpan.FromSeconds(60), "the school reaches both directories");
                return roster;
            }
            catch
            {
                await roster.DisposeAsync();
                throw;
            }
        }

        public Task WaitReadyAsync(TimeSpan timeout) =>
            Task.WhenAll(Stage.WaitReadyAsync("Training", Training, timeout), Stage.WaitReadyAsync("Incidents", Incidents, timeout));

        /// <summary>
        /// Waits until <paramref name="countSql"/> reaches <paramref name="expected"/>; if it does not, writes where the events
        /// stand (Training's outbox, the broker's queues, both processes' last lines) before the failure, so a run that fails
        /// on another machine shows whether the publisher, the broker or the consumer held them. A test that restarted
        /// Incidents as a new process passes it as <paramref name="incidents"/>, so that its lines are the ones shown.
        /// </summary>
        public async Task UntilDeliveredAsync(ITestOutputHelper output, string countSql, int expected, TimeSpan timeout, string because, Guid? trust = null,
            Process? incidents = null)
        {
            try
            {
                await Eventually.Until(() => ServiceStage.CountAsync(Owner, countSql, trust), n => n == expected, timeout, because);
            }
            catch (TimeoutException)
            {
                output.WriteLine(await ExplainAsync(incidents ?? Incidents));
                throw;
            }
        }

        private async Task<string> ExplainAsync(Process incidents)
        {
            var lines = new List<string> { "Training's outbox (pending rows by attempts and last error):" };
            await using (var pending = Owner.CreateCommand(
                "SELECT attempts, left(coalesce(last_error, '-'), 160), count(*) FROM training.outbox_messages WHERE sent_at IS NULL GROUP BY 1, 2 ORDER BY 1"))
            await using (var reader = await pending.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    lines.Add($"  {reader.GetInt64(2)} rows, {reader.GetInt32(0)} attempts: {reader.GetString(1)}");
                }
            }

            lines.Add($"Incidents' inbox: {await ServiceStage.CountAsync(Owner, "SELECT count(*) FROM incidents.inbox_messages")} messages");
            lines.Add("The broker's queues (name, ready, unacknowledged, consumers):");
            lines.Add(await TestEnvironment.RabbitCtlAsync("list_queues", "-q", "-p", Stage.Servers.VirtualHost.Name, "name", "messages_ready",
                "messages_unacknowledged", "consumers"));
            foreach (var (name, process) in new[] { ("Training", Training), ("Incidents", incidents) })
            {
                // MassTransit writes one S-FAULT line per send that failed: counted, not repeated.
                var tail = ServiceProcess.TailOf(process);
                lines.Add($"{name}'s last lines ({tail.Count(l => l.Contains("S-FAULT", StringComparison.Ordinal))} S-FAULT lines left out):");
                lines.AddRange(tail.Where(l => !l.Contains("S-FAULT", StringComparison.Ordinal)).Select(l => "  " + (l.Length > 600 ? l[..600] + "..." : l)));
            }

            return string.Join("\n", lines);
        }

        public async ValueTask DisposeAsync()
        {
            ServiceProcess.Stop(Training);
            ServiceProcess.Stop(Incidents);
            await Owner.DisposeAsync();
            await Stage.DisposeAsync();
        }
    }

    private static JsonObject Roster(int count, string role) => Roster(count, _ => role);

    private static JsonObject Roster(int count, Func<int, string> role) => new()
    {
        ["people"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["misId"] = $"F{i:D5}",
            ["displayName"] = $"Person {i}",
            ["personType"] = "staff",
            ["roles"] = new JsonArray(role(i)),
            ["startDate"] = "2026-09-01",
        })]),
    };

    private static JsonObject Report(int i) => new()
    {
        ["type"] = "pupil_conduct_concern",
        ["summary"] = $"Concern {i.ToString(CultureInfo.InvariantCulture)} about a post shared in a class chat",
        ["subject"] = new JsonObject { ["kind"] = "pupil", ["misId"] = $"P{i:D5}" },
    };
}
