using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// Cases created per second through the Incidents API (authentication, validation, routing, SLA clock, hash-chained
/// timeline entry, outbox event, one commit) against a baseline in the same run: plain Npgsql INSERTs of the same
/// rows (case, first timeline entry, outbox message), one transaction per case, at the same concurrency.
/// </summary>
public static class IncidentsBenchmark
{
    private static int Concurrency = 16;

    public static async Task RunAsync(int count, int concurrency = 16)
    {
        Concurrency = concurrency;
        // WebApplicationFactory finds the service's content root by this variable first.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TRUST_PLATFORM_INCIDENTS", Path.Combine(OpenApiGolden.RepositoryRoot(), "services", "Incidents"));
        await using var servers = await TestServers.CreateAsync("benchinc");
        await using var service = new ServiceFactory<IncidentsService>(servers, new Dictionary<string, string?>
        {
            ["Limits:UserPermitsPerMinute"] = "10000000",
            ["Evidence:Path"] = Path.Combine(Path.GetTempPath(), "tp-incidents-bench"),
        });
        _ = service.Server;
        var trust = Guid.CreateVersion7();
        var school = Guid.CreateVersion7();
        await servers.PublishAsync(
            new SchoolAdded(Guid.CreateVersion7(), trust, school, DateTimeOffset.UtcNow, "Bench School", "123456", "primary", null, "Europe/London", 1));
        var staff = new DevUser("bench-staff", "Staff", trust, [$"{Roles.Staff}:{school}"]);
        using var client = service.ClientFor(staff);
        var body = JsonSerializer.Serialize(new
        {
            type = "account_message",
            summary = "A parent asks on the school page when the trip leaves",
            accountMessage = new { platform = "facebook", kind = "query", receivedAt = DateTimeOffset.UtcNow },
        });
        await Eventually.Until(async () => (await client.PostAsync($"/v1/schools/{school}/cases", Content(body))).IsSuccessStatusCode, ok => ok,
            TimeSpan.FromSeconds(60), "the school reached the directory replica");

        // Warm-up of both paths: 20,000 API requests (or 60 s) and 5,000 baseline cases. Tiered compilation with
        // dynamic PGO instruments hot methods before it optimises them, and the API's far larger code path
        // (ASP.NET Core, EF Core, async state machines) took about 15,000 requests to reach its steady state on the
        // 2-core machine (measured: 470 cases/s in the first 3,000 after a 1,500 warm-up, 1,100-1,350 from the
        // fourth round on); measured before that, it is the JIT being measured. A service runs for days.
        await using var dataSource = NpgsqlDataSource.Create(servers.Database.AppConnectionString);
        var apiWarmUp = await WarmUpAsync(() => ApiAsync(client, school, body, 500), 500, 20_000);
        var insertWarmUp = await WarmUpAsync(() => InsertsAsync(dataSource, trust, school, 500), 500, 5_000);

        // Three rounds of baseline then API, each phase starting with the outbox drained (neither pays for delivering
        // the other's events); the figures are the medians, so one noisy phase on a shared machine does not decide them.
        var baselines = new List<double>();
        var apis = new List<double>();
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("TP_BENCH_ROUNDS"), out var r) && r > 0 ? r : 3;
        for (var round = 0; round < rounds; round++)
        {
            await DrainedAsync(servers);
            var phase = Stopwatch.StartNew();
            await InsertsAsync(dataSource, trust, school, count);
            baselines.Add(count / phase.Elapsed.TotalSeconds);

            await DrainedAsync(servers);
            phase.Restart();
            await ApiAsync(client, school, body, count);
            apis.Add(count / phase.Elapsed.TotalSeconds);
        }

        var baseline = Median(baselines);
        var api = Median(apis);

        // Context: the in-process HTTP + authentication + one tenant query floor (GET /v1/schools) at the same concurrency.
        await DrainedAsync(servers);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            using var response = await client.GetAsync("/v1/schools", ct);
            await Http.EnsureSuccessAsync(response);
        });
        var floor = count / clock.Elapsed.TotalSeconds;

        System.Console.WriteLine($"incidents benchmark ({count} cases per phase, median of 3 rounds, concurrency {Concurrency}, {Environment.ProcessorCount} cores, PostgreSQL on loopback, API in process)");
        System.Console.WriteLine($"  baseline: plain Npgsql INSERTs (case + timeline + outbox, one tx each)  {baseline,8:F0} cases/s");
        System.Console.WriteLine($"  POST /v1/schools/{{id}}/cases through the API                            {api,8:F0} cases/s   ratio {api / baseline:F2} of baseline");
        System.Console.WriteLine($"  warm-up: API {apiWarmUp} requests, baseline {insertWarmUp} cases");
        System.Console.WriteLine($"  per round (baseline / API / ratio): {string.Join("   ", baselines.Zip(apis, (b, a) => $"{b:F0} / {a:F0} / {a / b:F2}"))}");
        System.Console.WriteLine($"  context: GET /v1/schools (HTTP + auth + one query, no write)            {floor,8:F0} requests/s");
    }

    /// <summary>Runs batches of <paramref name="size"/> until <paramref name="total"/> have run or 60 s have passed; returns how many ran.</summary>
    private static async Task<int> WarmUpAsync(Func<Task> batch, int size, int total)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < total && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await batch();
            done += size;
        }

        return done;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task DrainedAsync(TestServers servers)
    {
        await using var owner = new NpgsqlConnection(servers.Database.OwnerConnectionString);
        await owner.OpenAsync();
        await Eventually.Until(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM incidents.outbox_messages WHERE sent_at IS NULL", owner);
            return (long)(await command.ExecuteScalarAsync())!;
        }, pending => pending == 0, TimeSpan.FromSeconds(120), "the outbox drained");
    }

    private static StringContent Content(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task ApiAsync(HttpClient client, Guid school, string body, int count) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            using var response = await client.PostAsync($"/v1/schools/{school}/cases", Content(body), ct);
            await Http.EnsureSuccessAsync(response);
        });

    private static Task InsertsAsync(NpgsqlDataSource dataSource, Guid trust, Guid school, int count) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var id = Guid.CreateVersion7(now);
            var details = """{"platform":"facebook","kind":"query","receivedAt":"2026-11-22T10:00:00+00:00","accountId":null}""";
            var timelineBody = """{"type":"account_message","assignedRole":"marketing_officer","restricted":false,"dueAt":null,"policy":"defaults"}""";
            var hash = TimelineChain.Hash(TimelineChain.Genesis, trust, id, 1, "reported", now, "user:bench-staff", "staff", timelineBody);
            var evt = new IncidentReported(Guid.CreateVersion7(now), trust, school, now, id, "account_message", false);

            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(Command("SELECT set_config('app.trust_id', $1, true)", trust.ToString()));
            batch.BatchCommands.Add(Command("""
                INSERT INTO incidents.cases (trust_id, id, school_id, case_type, status, restricted, about_headteacher, chair_informed, summary,
                    subject_kind, details, assigned_role, reporter_subject, received_at, due_at, timeline_count, timeline_head, created_at, version)
                VALUES ($1, $2, $3, 'account_message', 'open', false, false, false, 'A parent asks on the school page when the trip leaves',
                    'unknown', $4::jsonb, 'marketing_officer', 'bench-staff', $5, $6, 1, $7, $5, 1)
                """, trust, id, school, details, now, now.AddHours(48), hash));
            batch.BatchCommands.Add(Command("""
                INSERT INTO incidents.case_timeline (trust_id, case_id, seq, kind, at, actor, actor_role, body, previous_hash, hash)
                VALUES ($1, $2, 1, 'reported', $3, 'user:bench-staff', 'staff', $4, $5, $6)
                """, trust, id, TimelineChain.Normalise(now), timelineBody, TimelineChain.Genesis, hash));
            batch.BatchCommands.Add(Command("""
                INSERT INTO incidents.outbox_messages (id, message_type, body, headers, aggregate_id, created_at)
                VALUES ($1, $2, $3::json, '{}'::json, $4, $5)
                """, evt.EventId, EventTypes.NameOf(typeof(IncidentReported)), JsonSerializer.Serialize(evt, JsonSerializerOptions.Web), id.ToString(), now));
            await batch.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        });

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
