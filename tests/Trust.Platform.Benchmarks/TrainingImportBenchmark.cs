using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// Completion import on the real servers, against a baseline in the same run:
///   import   - N completions (one per person of a school synced beforehand) posted as JSON to
///              POST /v1/schools/{id}/completions/import: row checks, natural-key look-up, N completions with their summary
///              triggers and N TrainingCompleted in the outbox, one transaction; then the same file again (nothing written)
///   baseline - a raw binary COPY of the same N rows into a table of the same shape and indexes as training.completions
///              (as the owner: RLS forbids COPY into the real table; no summary trigger, no events)
/// Median of the measured rounds after warm-up rounds (TP_BENCH_ROUNDS, TP_BENCH_WARMUP; default 5 and 3).
/// </summary>
public static class TrainingImportBenchmark
{
    public static async Task RunAsync(int rows)
    {
        await using var servers = await TestServers.CreateAsync("bench");
        await using var training = new ServiceFactory<TrainingService>(servers, new Dictionary<string, string?>
        {
            ["Outbox:PollInterval"] = "00:00:05",
            ["Logging:LogLevel:Microsoft.AspNetCore.Routing"] = "Error",
        });
        _ = training.Server;
        var data = training.Services.GetRequiredService<NpgsqlDataSource>();
        var trust = Guid.CreateVersion7();
        using var admin = training.ClientFor(new DevUser("bench", "Bench", trust, [Roles.TrustAdmin]));
        var course = await CourseAsync(data, trust);
        var completedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7);
        var payload = new
        {
            completions = Enumerable.Range(0, rows).Select(i => new
            {
                misId = "B" + i.ToString("D6", CultureInfo.InvariantCulture),
                courseCode = "bench_course",
                completedOn = completedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                provider = "National College",
                evidenceReference = "NC-" + i.ToString(CultureInfo.InvariantCulture),
            }).ToList(),
        };

        var importRates = new List<double>();
        var againRates = new List<double>();
        var copyRates = new List<double>();
        var warmUp = TrainingBenchmark.EnvInt("TP_BENCH_WARMUP", 3);
        var measured = TrainingBenchmark.EnvInt("TP_BENCH_ROUNDS", 5);
        for (var round = 0; round < warmUp + measured; round++)
        {
            var school = (await TrainingBenchmark.AddSchoolsAsync(data, trust, 1))[0];
            await PeopleAsync(data, trust, school, rows);
            await TrainingBenchmark.OutboxDrainedAsync(servers.Database.OwnerConnectionString);
            var clock = Stopwatch.StartNew();
            var recorded = await ImportAsync(admin, school, payload);
            var import = rows / clock.Elapsed.TotalSeconds;
            if (recorded != rows)
            {
                throw new InvalidOperationException($"The import recorded {recorded} of {rows} rows.");
            }

            await TrainingBenchmark.OutboxDrainedAsync(servers.Database.OwnerConnectionString);
            clock.Restart();
            await ImportAsync(admin, school, payload);
            var again = rows / clock.Elapsed.TotalSeconds;
            var copy = rows / await CopyAsync(servers.Database.OwnerConnectionString, trust, school, course, completedOn, rows);
            if (round >= warmUp)
            {
                importRates.Add(import);
                againRates.Add(again);
                copyRates.Add(copy);
            }
        }

        var importRate = TrainingBenchmark.Median(importRates);
        var copyRate = TrainingBenchmark.Median(copyRates);
        System.Console.WriteLine($"training import benchmark ({Environment.ProcessorCount} cores, PostgreSQL on loopback, in-process HTTP), {rows} rows, median of {measured} rounds");
        System.Console.WriteLine($"  baseline: raw binary COPY of {rows} completions, same table shape and indexes   {copyRate,9:F0} rows/s");
        System.Console.WriteLine($"  import over HTTP (JSON, checks, natural key, summary triggers, {rows} events)   {importRate,9:F0} rows/s   ratio {importRate / copyRate:F2} of COPY (target >= 0.25)");
        System.Console.WriteLine($"  per round (COPY / import / ratio): {string.Join("   ", copyRates.Zip(importRates, (c, i) => $"{c:F0} / {i:F0} / {i / c:F2}"))}");
        System.Console.WriteLine($"  the same file again (all rows on record, nothing written)                  {TrainingBenchmark.Median(againRates),9:F0} rows/s");
    }

    private static async Task<int> ImportAsync(HttpClient client, Guid school, object payload)
    {
        using var response = await client.PostAsJsonAsync($"/v1/schools/{school}/completions/import", payload);
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("recorded").GetInt32();
    }

    private static async Task<Guid> CourseAsync(NpgsqlDataSource data, Guid trust)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand(
            "INSERT INTO training.courses (trust_id, id, code, title, validity_months, created_at) VALUES ($1, $2, 'bench_course', 'Bench course', 24, now())", connection);
        var id = Guid.CreateVersion7();
        command.Parameters.Add(new NpgsqlParameter { Value = trust });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private static async Task PeopleAsync(NpgsqlDataSource data, Guid trust, Guid school, int count)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand("""
            INSERT INTO training.people (trust_id, id, school_id, mis_id, display_name, person_type, roles, start_date, created_at, updated_at)
            SELECT $1, gen_random_uuid(), $2, 'B' || lpad((g - 1)::text, 6, '0'), 'Person ' || g, 'staff', ARRAY['teacher'], date '2024-09-01', now(), now()
            FROM generate_series(1, $3) g
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = trust });
        command.Parameters.Add(new NpgsqlParameter { Value = school });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Seconds to binary-COPY the same completions (the columns the import writes) into a copy of the table with its indexes.</summary>
    private static async Task<double> CopyAsync(string ownerConnectionString, Guid trust, Guid school, Guid course, DateOnly completedOn, int rows)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.completions_copy (LIKE training.completions INCLUDING ALL); TRUNCATE bench.completions_copy",
            connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY bench.completions_copy (trust_id, id, school_id, person_id, course_id, course_code, completed_on, provider, evidence_reference, expires_on, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < rows; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(trust, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(school, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(course, NpgsqlDbType.Uuid);
                await writer.WriteAsync("bench_course", NpgsqlDbType.Text);
                await writer.WriteAsync(completedOn, NpgsqlDbType.Date);
                await writer.WriteAsync("National College", NpgsqlDbType.Text);
                await writer.WriteAsync("NC-" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await writer.WriteAsync(completedOn.AddMonths(24), NpgsqlDbType.Date);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        return clock.Elapsed.TotalSeconds;
    }
}
