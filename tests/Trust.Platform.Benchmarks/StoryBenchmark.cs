using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// The time from a commit in one service to its effect in another, with the four services
/// as real OS processes (the Release dlls, default settings: outbox poll 500 ms, woken on commit) on one fresh
/// database and vhost. The measured path: POST /v1/schools commits the school and SchoolAdded to Policy's
/// outbox; the dispatcher publishes; Accounts, Incidents and Training each consume it into their directory;
/// the effect is seen when the school's policy view in that service answers 200 instead of 404 (polled every 5 ms).
/// The story's own end-to-end time is printed by tests/Trust.Platform.Story.Tests.
/// </summary>
public static class StoryBenchmark
{
    private static readonly (string Name, int Port, string ViewPath)[] Services =
    [
        ("Policy", 5191, ""),
        ("Accounts", 5192, "/v1/schools/{0}/account-policy"),
        ("Incidents", 5193, "/v1/schools/{0}/incident-policy"),
        ("Training", 5194, "/v1/schools/{0}/training-policy"),
    ];

    public static async Task RunAsync(int schools)
    {
        await using var servers = await TestServers.CreateAsync("sbench");
        var processes = new List<Process>();
        try
        {
            foreach (var (name, _, _) in Services)
            {
                using var migrate = Start(servers, name, null, "migrate");
                await migrate.WaitForExitAsync();
                if (migrate.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{name} migrate exited {migrate.ExitCode}");
                }
            }

            foreach (var (name, port, _) in Services)
            {
                processes.Add(Start(servers, name, port));
            }

            await MeasureAsync(servers, schools);
        }
        finally
        {
            // Their connections must be gone before the benchmark database is dropped.
            foreach (var process in processes)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static async Task MeasureAsync(TestServers servers, int schools)
    {
        var issuer = new DevTokenIssuer(Microsoft.Extensions.Options.Options.Create(new AuthOptions { SigningKey = servers.SigningKey }), TimeProvider.System);
        var clients = Services.ToDictionary(s => s.Name, s => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{s.Port}") });
        foreach (var client in clients.Values)
        {
            await Eventually.Until(async () => { try { return (await client.GetAsync("/health/ready")).IsSuccessStatusCode; } catch (HttpRequestException) { return false; } }, ok => ok, TimeSpan.FromSeconds(90));
        }

        clients["Policy"].DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint(new DevUser("bench-op", "Operator", null, [Roles.PlatformOperator])));
        var created = await clients["Policy"].PostAsJsonAsync("/v1/trusts", new { name = "Story Benchmark Trust", firstAdmin = new { displayName = "Admin", email = "admin@sbench.example" } });
        await Http.EnsureSuccessAsync(created);
        var trust = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var token = issuer.Mint(new DevUser("bench-admin", "Admin", trust, [Roles.TrustAdmin]));
        foreach (var client in clients.Values)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var latencies = Services.Skip(1).ToDictionary(s => s.Name, _ => new List<double>());
        for (var i = -5; i < schools; i++) // five warm-up rounds, not counted
        {
            var response = await clients["Policy"].PostAsJsonAsync("/v1/schools", new { name = $"School {i}", urn = (800000 + i + 5).ToString(System.Globalization.CultureInfo.InvariantCulture), phase = "primary" });
            await Http.EnsureSuccessAsync(response);
            var committed = Stopwatch.GetTimestamp();
            var school = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            var seen = await Task.WhenAll(Services.Skip(1).Select(async s =>
            {
                var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, s.ViewPath, school);
                var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
                while (!(await clients[s.Name].GetAsync(path)).IsSuccessStatusCode)
                {
                    if (Stopwatch.GetTimestamp() > deadline)
                    {
                        throw new TimeoutException($"{s.Name} did not learn school {school} within 30 s");
                    }

                    await Task.Delay(5);
                }

                return (s.Name, Ms: Stopwatch.GetElapsedTime(committed).TotalMilliseconds);
            }));
            if (i >= 0)
            {
                foreach (var (name, ms) in seen)
                {
                    latencies[name].Add(ms);
                }
            }
        }

        System.Console.WriteLine($"story benchmark: commit in Policy -> effect in another service ({schools} schools, 4 service processes, {Environment.ProcessorCount} cores)");
        foreach (var (name, list) in latencies.Append(new("all", latencies.Values.SelectMany(l => l).ToList())))
        {
            list.Sort();
            System.Console.WriteLine($"  SchoolAdded -> {name,-9} n={list.Count,5}  median {Percentile(list, 0.50),7:F1} ms  p99 {Percentile(list, 0.99),7:F1} ms  max {list[^1],7:F1} ms");
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * p) - 1, 0, sorted.Count - 1)];

    private static Process Start(TestServers servers, string service, int? port, params string[] args)
    {
        var dll = ServiceProcess.DllOf(service);
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        if (port is { } p)
        {
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{p}";
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__App"] = servers.Database.AppConnectionString;
        start.Environment["ConnectionStrings__Dispatcher"] = servers.Database.DispatcherConnectionString;
        start.Environment["Database__DispatcherRole"] = TestEnvironment.DispatcherRole;
        start.Environment["ConnectionStrings__Owner"] = servers.Database.OwnerConnectionString;
        start.Environment["Database__AppRole"] = TestEnvironment.AppRole;
        start.Environment["RabbitMq__Host"] = TestEnvironment.RabbitHost;
        start.Environment["RabbitMq__Port"] = TestEnvironment.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RabbitMq__Username"] = servers.VirtualHost.CredentialsFor(service.ToLowerInvariant()).Username;
        start.Environment["RabbitMq__Password"] = servers.VirtualHost.CredentialsFor(service.ToLowerInvariant()).Password;
        start.Environment["RabbitMq__VirtualHost"] = servers.VirtualHost.Name;
        start.Environment["Auth__SigningKey"] = servers.SigningKey;
        start.Environment["Limits__UserPermitsPerMinute"] = "100000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (service == "Incidents")
        {
            // Outside Development Incidents starts only with an evidence folder outside its build output and a key.
            start.Environment["Evidence__Path"] = Path.Combine(Path.GetTempPath(), "tp-story-bench-evidence");
            start.Environment["Evidence__Key"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (args.Length > 0 && e.Data is { } line) { System.Console.Error.WriteLine($"[{service}] {line}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { process.Kill(true); } catch (InvalidOperationException) { } };
        return process;
    }
}
