using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents;
using Trust.Platform.Incidents.Features.Cases.Search;
using Trust.Platform.Incidents.Features.Statistics;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// Case search and statistics over a large trust: the cases are seeded by binary COPY (through a temp table, as RLS
/// forbids COPY into the real one), then each search of a mix is timed through the API in process (authentication,
/// visibility rule, filters, paging, JSON) against the plain SQL query that returns the same rows in the same run, and
/// the trust statistics (read from the rollup <c>case_month_figures</c>, which the INSERT of the seeded cases fills through
/// the same trigger as every production write) against a plain GROUP BY over the same rows of the cases table. Prints p50/p95 and ratios; asserts nothing.
/// <c>TP_BENCH_EXPLAIN=1</c> prints the whole plan of each plain query (the top nodes are always printed).
/// </summary>
public static class CaseSearchBenchmark
{
    private const int Calls = 40;

    private const int WarmUp = 8;

    private static readonly string[] Types =
        ["account_message", "offensive_comment", "cyberbullying", "staff_conduct_concern", "pupil_conduct_concern",
         "inappropriate_contact", "inappropriate_content", "journalist_contact", "filtering_alert"];

    /// <summary>The types of <see cref="Types"/> that are not always restricted (as <c>CaseRouting.Route</c> routes them).</summary>
    private static readonly string[] ListedTypes = [.. Types.Where(t => t is not ("pupil_conduct_concern" or "inappropriate_contact"))];

    /// <summary>The last instant of the seeded data: two years of cases end here.</summary>
    private static readonly DateTimeOffset End = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(int cases, int schoolCount)
    {
        await using var servers = await TestServers.CreateAsync("benchcs");
        await using var service = new ServiceFactory<IncidentsService>(servers, new Dictionary<string, string?>
        {
            ["Limits:UserPermitsPerMinute"] = "10000000",
            ["Evidence:Path"] = Path.Combine(Path.GetTempPath(), "tp-incidents-bench"),
        });
        _ = service.Server;
        var trust = Guid.CreateVersion7();
        await using var data = NpgsqlDataSource.Create(servers.Database.AppConnectionString);
        var schools = await AddSchoolsAsync(data, trust, schoolCount);
        var staff = Enumerable.Range(0, Math.Max(100, cases / 20)).Select(_ => Guid.CreateVersion7()).ToArray();
        var seedClock = Stopwatch.StartNew();
        await SeedAsync(data, trust, schools, staff, cases);
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        await using (var owner = new NpgsqlConnection(servers.Database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            // Autovacuum would do it within a minute or so; the figures are of a planner with statistics and a visibility map.
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE incidents.cases, incidents.case_month_figures; ANALYZE incidents.school_directory", owner) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        var random = new Random(7);
        using var admin = service.ClientFor(new DevUser("bench-admin", "Admin", trust, [Roles.TrustAdmin]));
        var firstQuarter = CaseFilters.StartOfDay(new DateOnly(2026, 1, 1), "Europe/London");
        var quarterEnd = CaseFilters.StartOfDay(new DateOnly(2026, 4, 1), "Europe/London");
        var searches = new (string Name, Func<int, (HttpClient Client, string Path, string Sql, object[] Args)> Make)[]
        {
            ("DSL: school + status=open      ", i =>
            {
                var school = schools[random.Next(schools.Count)];
                var dsl = service.ClientFor(new DevUser("bench-dsl", "DSL", trust, [$"{Roles.Dsl}:{school}"]));
                return (dsl, $"/v1/schools/{school}/cases?status=open&limit=50",
                    "SELECT * FROM incidents.cases WHERE trust_id = $1 AND school_id = $2 AND status = 'open' ORDER BY id LIMIT 51", [trust, school]);
            }),
            ("admin: type + Jan-Mar 2026     ", i =>
            {
                // A type whose cases are always restricted is never listed to an admin: the search would measure an empty page.
                var type = ListedTypes[random.Next(ListedTypes.Length)];
                return (admin, $"/v1/cases?type={type}&reportedFrom=2026-01-01&reportedTo=2026-03-31&limit=50",
                    "SELECT * FROM incidents.cases WHERE trust_id = $1 AND case_type = $2 AND NOT restricted AND received_at >= $3 AND received_at < $4 ORDER BY id LIMIT 51",
                    [trust, type, firstQuarter, quarterEnd]);
            }),
            ("admin: subject (roster id)     ", i =>
            {
                var subject = staff[random.Next(staff.Length)].ToString();
                return (admin, $"/v1/cases?subject={subject}&limit=50",
                    "SELECT * FROM incidents.cases WHERE trust_id = $1 AND subject_ref = $2 AND NOT restricted ORDER BY id LIMIT 51", [trust, subject]);
            }),
        };

        System.Console.WriteLine($"case search benchmark ({cases} cases, {schools.Count} schools, seeded by COPY in {seedSeconds:F1} s, the statistics rollup filled by its trigger in the same INSERT; {Calls - WarmUp} timed calls each after {WarmUp}, API in process, {Environment.ProcessorCount} cores)");
        foreach (var (name, make) in searches)
        {
            var sample = make(0);
            await ExplainAsync(data, trust, sample.Sql, sample.Args);
            if (sample.Client != admin)
            {
                sample.Client.Dispose();
            }

            var api = new List<double>();
            var sql = new List<double>();
            for (var i = 0; i < Calls; i++)
            {
                var (client, path, query, args) = make(i);
                var rows = await SqlAsync(data, trust, query, args);
                var clock = Stopwatch.StartNew();
                var page = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(path);
                var apiMs = clock.Elapsed.TotalMilliseconds;
                if (client != admin)
                {
                    client.Dispose();
                }

                clock.Restart();
                rows = await SqlAsync(data, trust, query, args);
                var sqlMs = clock.Elapsed.TotalMilliseconds;
                if (page.GetProperty("items").GetArrayLength() != Math.Min(50, rows))
                {
                    System.Console.WriteLine($"  WARNING: {name.Trim()} answered {page.GetProperty("items").GetArrayLength()} rows, the plain query {rows}");
                }

                if (i >= WarmUp)
                {
                    api.Add(apiMs);
                    sql.Add(sqlMs);
                }
            }

            Report(name, api, sql);
        }

        // Trust statistics for twelve months vs the plain GROUP BY of the same rows.
        var statsSql = """
            SELECT school_id, case_type, date_trunc('month', received_at), count(*), count(*) FILTER (WHERE closed_at <= due_at)
            FROM incidents.cases WHERE trust_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY 1, 2, 3
            """;
        object[] statsArgs = [trust, CaseFilters.StartOfDay(new DateOnly(2025, 12, 1), "Europe/London"), CaseFilters.StartOfDay(new DateOnly(2026, 12, 1), "Europe/London")];
        await ExplainAsync(data, trust, statsSql, statsArgs);
        foreach (var (endpointSql, endpointParameters) in CaseStatisticsReport.Commands(
            trust, null, schools, false, new DateOnly(2025, 12, 1), new DateOnly(2026, 11, 1), End))
        {
            await ExplainAsync(data, trust, endpointSql, endpointParameters);
        }

        var statsApi = new List<double>();
        var statsPlain = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var response = await admin.GetAsync("/v1/cases/statistics?from=2025-12&to=2026-11"))
            {
                await Http.EnsureSuccessAsync(response);
                await response.Content.ReadAsStringAsync();
            }

            var apiMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await SqlAsync(data, trust, statsSql, statsArgs);
            if (i >= WarmUp)
            {
                statsApi.Add(apiMs);
                statsPlain.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        Report("trust statistics, 12 months  ", statsApi, statsPlain);
        System.Console.WriteLine("  targets: search p95 <= 200 ms, statistics p95 <= 300 ms");
    }

    private static void Report(string name, List<double> api, List<double> sql)
    {
        api.Sort();
        sql.Sort();
        System.Console.WriteLine($"  {name} API p50 {Percentile(api, 0.5),6:F1} ms  p95 {Percentile(api, 0.95),6:F1} ms   plain SQL p50 {Percentile(sql, 0.5),6:F1} ms  p95 {Percentile(sql, 0.95),6:F1} ms   p95 ratio {Percentile(api, 0.95) / Percentile(sql, 0.95),5:F1}x");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];

    private static async Task<int> SqlAsync(NpgsqlDataSource data, Guid trust, string sql, object[] args)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows++;
        }

        return rows;
    }

    /// <summary>The plan of a plain query at this scale: its top nodes, or all of it with TP_BENCH_EXPLAIN=1.</summary>
    private static async Task ExplainAsync(NpgsqlDataSource data, Guid trust, string sql, object[] args)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(arg as NpgsqlParameter ?? new NpgsqlParameter { Value = arg });
        }

        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        var full = Environment.GetEnvironmentVariable("TP_BENCH_EXPLAIN") is { Length: > 0 };
        var shown = full ? lines : lines.Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Aggregate", StringComparison.Ordinal) || l.Contains("Execution Time", StringComparison.Ordinal)).Take(4);
        System.Console.WriteLine("  plan: " + string.Join(full ? "\n        " : " | ", shown.Select(l => full ? l : l.Trim())));
    }

    private static async Task<List<Guid>> AddSchoolsAsync(NpgsqlDataSource data, Guid trust, int count)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand("""
            INSERT INTO incidents.school_directory (trust_id, school_id, name, urn, phase, local_authority, time_zone, version, updated_at)
            SELECT $1, gen_random_uuid(), 'School ' || g, lpad(g::text, 6, '0'), 'primary', NULL, 'Europe/London', 1, now()
            FROM generate_series(1, $2) g
            RETURNING school_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = trust });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>
    /// Two years of cases spread over the schools: over a quarter restricted (pupil concerns and contact, cyberbullying of a
    /// pupil), most closed, account
    /// messages with a 24-hour deadline, staff subjects from a pool so a subject has a few cases.
    /// </summary>
    internal static async Task SeedAsync(NpgsqlDataSource data, Guid trust, List<Guid> schools, Guid[] staff, int count)
    {
        var random = new Random(42);
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE seed (LIKE incidents.cases INCLUDING DEFAULTS) ON COMMIT PRESERVE ROWS", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var span = TimeSpan.FromDays(730).TotalMinutes;
        var rows = Enumerable.Range(0, count).Select(_ => End.AddMinutes(-random.NextDouble() * span)).Order().ToList();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY seed (trust_id, id, school_id, case_type, status, restricted, about_headteacher, chair_informed, summary, subject_kind,
                subject_ref, details, assigned_role, reporter_subject, received_at, due_at, overdue_at, closed_at, created_at, version)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var received in rows)
            {
                var type = Types[random.Next(Types.Length)];
                var pupil = type is "pupil_conduct_concern" or "inappropriate_contact" || type == "cyberbullying" && random.Next(2) == 0;
                // As CaseRouting.Route: pupil concerns and contact, and cyberbullying of a pupil, are safeguarding (restricted).
                var restricted = pupil;
                DateTimeOffset? due = type == "account_message" ? received.AddHours(24) : null;
                DateTimeOffset? closed = random.Next(10) < 8 ? received.AddHours(random.Next(1, 240)) : null;
                if (closed > End)
                {
                    closed = null;
                }

                await writer.StartRowAsync();
                await writer.WriteAsync(trust, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Guid.CreateVersion7(received), NpgsqlDbType.Uuid);
                await writer.WriteAsync(schools[random.Next(schools.Count)], NpgsqlDbType.Uuid);
                await writer.WriteAsync(type, NpgsqlDbType.Text);
                await writer.WriteAsync(closed is null ? "open" : "closed", NpgsqlDbType.Text);
                await writer.WriteAsync(restricted, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync("Seeded case", NpgsqlDbType.Text);
                await writer.WriteAsync(pupil ? "pupil" : "staff", NpgsqlDbType.Text);
                await writer.WriteAsync(pupil ? "MIS-" + random.Next(100_000).ToString(CultureInfo.InvariantCulture) : staff[random.Next(staff.Length)].ToString(), NpgsqlDbType.Text);
                await writer.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await writer.WriteAsync(restricted || pupil ? "dsl" : type == "account_message" ? "marketing_officer" : "headteacher", NpgsqlDbType.Text);
                await writer.WriteAsync("bench-staff", NpgsqlDbType.Text);
                await writer.WriteAsync(received, NpgsqlDbType.TimestampTz);
                await WriteNullableAsync(writer, due);
                await WriteNullableAsync(writer, closed is null && due < End ? due : null);
                await WriteNullableAsync(writer, closed);
                await writer.WriteAsync(received, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
            }

            await writer.CompleteAsync();
        }

        await using var insert = new NpgsqlCommand("INSERT INTO incidents.cases SELECT * FROM seed; DROP TABLE seed", connection) { CommandTimeout = 600 };
        await insert.ExecuteNonQueryAsync();
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, DateTimeOffset? value) =>
        value is { } v ? writer.WriteAsync(v, NpgsqlDbType.TimestampTz) : writer.WriteNullAsync();
}
