using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// What each service costs while it waits and while it serves: the four services and the gateway run as separate processes
/// from their published output (ReadyToRun, deploy/publish.sh; as deploy/run.sh runs them, on ports 6101-6105, in Production) against a fresh
/// database and virtual host of the shared servers. Prints per service: cold start (process start to /health/ready 200,
/// each started alone so no start competes with another's for the two cores), RSS after 30 s idle (/proc/pid/status
/// VmRSS), CPU seconds used over 60 s idle (/proc/pid/stat utime + stime), and the highest RSS sampled under load: the
/// policy benchmark's requests (GET /v1/me and GET effective policy over a trust of 50 tailored schools, 32 connections)
/// against Policy, a closed loop of authenticated GETs of a list against each other service, and effective policy
/// through the gateway. Targets: at most 150 MB RSS, near-zero idle CPU, cold start at most 3 s.
/// </summary>
public static class IdleBenchmark
{
    private const double RssTargetMb = 150;
    private const double ColdStartTargetSeconds = 3;

    // Near zero: one percent of one core over the window.
    private const double IdleCpuTargetShare = 0.01;

    private static readonly (string Name, int Port, string LoadPath)[] Services =
    [
        ("Policy", 6101, ""),
        ("Accounts", 6102, "/v1/accounts"),
        ("Incidents", 6103, "/v1/cases"),
        ("Training", 6104, "/v1/courses"),
        ("Gateway", 6105, ""),
    ];

    public static async Task RunAsync(int idleSeconds, int loadSeconds)
    {
        foreach (var (_, port, _) in Services)
        {
            EnsureFree(port);
        }

        await using var servers = await TestServers.CreateAsync("idle");
        var evidence = Directory.CreateTempSubdirectory("tp-idle-evidence-");
        var processes = new Dictionary<string, Process>();
        try
        {
            // Migrations are their own step, as in deploy/run.sh: the services start with no owner login.
            foreach (var (name, _, _) in Services.Where(s => s.Name != "Gateway"))
            {
                await ServiceProcess.MigrateAsync(servers, name, evidence.FullName);
            }

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
            var coldStart = new Dictionary<string, double>();
            foreach (var (name, port, _) in Services)
            {
                var clock = Stopwatch.StartNew();
                var process = ServiceProcess.Start(servers, name, port, evidence.FullName, settings: Settings(name));
                processes[name] = process;
                await ServiceProcess.WaitReadyAsync(http, name, port, process, TimeSpan.FromSeconds(90));
                coldStart[name] = clock.Elapsed.TotalSeconds;
            }

            System.Console.WriteLine($"idle benchmark ({Environment.ProcessorCount} cores, load average {LoadAverage()} at start; each service started alone, in Production)");
            System.Console.WriteLine($"  settling {30} s, then {idleSeconds} s idle");
            await Task.Delay(TimeSpan.FromSeconds(30));
            var idleRss = processes.ToDictionary(p => p.Key, p => RssMb(p.Value.Id));
            var idleParts = processes.ToDictionary(p => p.Key, p => MemoryParts.Of(p.Value.Id));
            var cpuBefore = processes.ToDictionary(p => p.Key, p => CpuSeconds(p.Value.Id));
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            var idleCpu = processes.ToDictionary(p => p.Key, p => CpuSeconds(p.Value.Id) - cpuBefore[p.Key]);
            var idleWindow = window.Elapsed.TotalSeconds;
            var loadAverageIdle = LoadAverage();

            var loaded = await LoadAsync(http, servers, processes, loadSeconds);

            System.Console.WriteLine($"  load average after the idle window: {loadAverageIdle}; after the load: {LoadAverage()}");
            System.Console.WriteLine($"  {"service",-10} {"cold start",11} {"RSS idle",10} {"idle CPU",16} {"RSS under load",15} {"requests",9} {"errors",7}");
            foreach (var (name, _, _) in Services)
            {
                var load = loaded[name];
                System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-10} {coldStart[name],9:F2} s {idleRss[name],7:F1} MB {idleCpu[name],6:F2} s/{idleWindow:F0} s {load.PeakRssMb,12:F1} MB {load.Requests,9} {load.Errors,7}"));
            }

            // What the resident memory is, from /proc/pid/smaps: how much is code and type data, which no GC setting shrinks.
            System.Console.WriteLine("  where the memory is (MB resident, /proc/pid/smaps), at idle / after the load:");
            System.Console.WriteLine($"  {"service",-10} {"framework",13} {"packages",13} {"native",13} {"jit+types",13} {"heap+other",13}");
            foreach (var (name, _, _) in Services)
            {
                var (idle, loadedParts) = (idleParts[name], loaded[name].Parts);
                string Pair(Func<MemoryParts, double> part) => string.Create(CultureInfo.InvariantCulture, $"{part(idle),5:F0} / {part(loadedParts),-5:F0}");
                System.Console.WriteLine($"  {name,-10} {Pair(m => m.FrameworkMb),13} {Pair(m => m.PackagesMb),13} {Pair(m => m.NativeMb),13} {Pair(m => m.JitMb),13} {Pair(m => m.HeapMb),13}");
            }

            System.Console.WriteLine("  (framework: the shared framework's assemblies; packages: the service's and its packages' assemblies, ReadyToRun;");
            System.Console.WriteLine("   native: the runtime, JIT, ICU, OpenSSL, libc; jit+types: code jitted and type data, mapped under W^X;");
            System.Console.WriteLine("   heap+other: the GC heap, stacks, malloc and any other mapping)");

            string Verdict(bool met) => met ? "met" : "NOT met";
            var cpuLimit = IdleCpuTargetShare * idleWindow;
            System.Console.WriteLine($"  target RSS <= {RssTargetMb} MB idle and under load: {Verdict(idleRss.Values.Concat(loaded.Values.Select(l => l.PeakRssMb)).All(v => v <= RssTargetMb))}"
                + $" (over: {string.Join(", ", Services.Where(s => Math.Max(idleRss[s.Name], loaded[s.Name].PeakRssMb) > RssTargetMb).Select(s => s.Name).DefaultIfEmpty("none"))})");
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  target idle CPU near zero (<= {cpuLimit:F2} s per {idleWindow:F0} s, 1% of a core): {Verdict(idleCpu.Values.All(v => v <= cpuLimit))} (over: {string.Join(", ", Services.Where(s => idleCpu[s.Name] > cpuLimit).Select(s => s.Name).DefaultIfEmpty("none"))})"));
            System.Console.WriteLine($"  target cold start <= {ColdStartTargetSeconds} s: {Verdict(coldStart.Values.All(v => v <= ColdStartTargetSeconds))} (over: {string.Join(", ", Services.Where(s => coldStart[s.Name] > ColdStartTargetSeconds).Select(s => s.Name).DefaultIfEmpty("none"))})");
        }
        finally
        {
            // Their connections must be gone before the benchmark database is dropped.
            foreach (var process in processes.Values)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                process.Dispose();
            }

            evidence.Delete(recursive: true);
        }
    }

    private sealed record Loaded(double PeakRssMb, int Requests, int Errors, MemoryParts Parts);

    /// <summary>A process's resident memory by what is mapped (/proc/pid/smaps, Rss of each mapping summed by kind).</summary>
    private sealed record MemoryParts(double FrameworkMb, double PackagesMb, double NativeMb, double JitMb, double HeapMb)
    {
        public static MemoryParts Of(int pid)
        {
            double framework = 0, packages = 0, native = 0, jit = 0, heap = 0;
            var name = "";
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
            {
                if (line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    var mb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
                    switch (name)
                    {
                        case var n when n.EndsWith(".dll", StringComparison.Ordinal) && n.Contains("/shared/Microsoft.", StringComparison.Ordinal):
                            framework += mb;
                            break;
                        case var n when n.EndsWith(".dll", StringComparison.Ordinal):
                            packages += mb;
                            break;
                        case var n when n.StartsWith('/') && (n.EndsWith(".so", StringComparison.Ordinal) || n.Contains(".so.", StringComparison.Ordinal)):
                            native += mb;
                            break;
                        case var n when n.Contains("doublemapper", StringComparison.Ordinal):
                            jit += mb;
                            break;
                        default:
                            heap += mb;
                            break;
                    }
                }
                else if (line.IndexOf(' ') is > 0 and var space && line[..space].Contains('-') && line[..space].All(c => char.IsAsciiHexDigit(c) || c == '-'))
                {
                    // A mapping's header: "start-end perms offset dev inode [path]".
                    var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                    name = fields.Length == 6 ? fields[5].Trim() : "";
                }
            }

            return new MemoryParts(framework, packages, native, jit, heap);
        }
    }

    private static async Task<Dictionary<string, Loaded>> LoadAsync(HttpClient http, TestServers servers, Dictionary<string, Process> processes, int seconds)
    {
        var tokens = new DevTokenIssuer(Options.Create(new AuthOptions { SigningKey = servers.SigningKey }), TimeProvider.System);
        var operatorToken = tokens.Mint(new DevUser("idle-op", "Operator", null, [Roles.PlatformOperator]));
        var policy = "http://127.0.0.1:6101";
        using var created = await SendAsync(http, HttpMethod.Post, $"{policy}/v1/trusts", operatorToken,
            new JsonObject { ["name"] = "Idle Benchmark Trust", ["firstAdmin"] = new JsonObject { ["displayName"] = "Admin", ["email"] = "admin@idle.example" } });
        var trust = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var admin = tokens.Mint(new DevUser("idle-admin", "Admin", trust, [Roles.TrustAdmin]));

        // The policy benchmark's trust, smaller: schools that tailor a few settings each.
        var schools = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            using var response = await SendAsync(http, HttpMethod.Post, $"{policy}/v1/schools", admin,
                new JsonObject { ["name"] = $"School {i}", ["urn"] = (800000 + i).ToString(CultureInfo.InvariantCulture), ["phase"] = "primary" });
            var school = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            schools.Add(school);
            (await SendAsync(http, HttpMethod.Put, $"{policy}/v1/schools/{school}/policy/overrides/journalist.rule", admin,
                new JsonObject { ["value"] = i % 2 == 0 ? "media_policy" : "headteacher_and_chair" }, ifMatchAny: true)).Dispose();
            if (i % 2 == 0)
            {
                (await SendAsync(http, HttpMethod.Put, $"{policy}/v1/schools/{school}/policy/overrides/sla.response_hours", admin,
                    new JsonObject { ["value"] = 24 }, ifMatchAny: true)).Dispose();
            }
        }

        var result = new Dictionary<string, Loaded>();
        foreach (var (name, port, listPath) in Services)
        {
            Func<int, string> path = name switch
            {
                "Policy" => i => i % 2 == 0 ? "/v1/me" : $"/v1/schools/{schools[i % schools.Count]}/policy/effective",
                "Gateway" => i => $"/policy/v1/schools/{schools[i % schools.Count]}/policy/effective",
                _ => _ => listPath,
            };
            result[name] = await ClosedLoopAsync(http, $"http://127.0.0.1:{port}", path, admin, processes[name].Id, TimeSpan.FromSeconds(seconds), 32);
        }

        return result;
    }

    private static async Task<Loaded> ClosedLoopAsync(HttpClient http, string baseUrl, Func<int, string> path, string token, int pid, TimeSpan duration, int concurrency)
    {
        var peak = RssMb(pid);
        var requests = 0;
        var errors = 0;
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMb(pid));
                await Task.Delay(200, CancellationToken.None);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var i = Interlocked.Increment(ref requests);
                using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + path(i));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await sampling.CancelAsync();
        await sampler;
        return new Loaded(Math.Max(peak, RssMb(pid)), requests, errors, MemoryParts.Of(pid));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string token, JsonObject body, bool ifMatchAny = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifMatchAny)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        }

        var response = await http.SendAsync(request);
        await Http.EnsureSuccessAsync(response);
        return response;
    }

    /// <summary>What deploy/run.sh gives each process beyond the shared servers: the gateway's routes, the API key source.</summary>
    private static Dictionary<string, string> Settings(string name)
    {
        if (name != "Gateway")
        {
            return new() { ["ApiKeys__PolicyUrl"] = "http://127.0.0.1:6101" };
        }

        // The load comes from one address; the gateway's per-client limit would answer most of it with 429.
        var settings = new Dictionary<string, string> { ["Limits__PermitsPerMinute"] = "100000000" };
        foreach (var (service, servicePort, _) in Services.Where(s => s.Name != "Gateway"))
        {
            settings[$"Services__{service.ToLowerInvariant()}"] = $"http://127.0.0.1:{servicePort}";
        }

        return settings;
    }

    private static double RssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>utime + stime of /proc/pid/stat (fields 14 and 15), in USER_HZ ticks, which Linux fixes at 100 a second for userspace.</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static void EnsureFree(int port)
    {
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            probe.Connect("127.0.0.1", port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return;
        }

        throw new InvalidOperationException($"Port {port} is in use (a leftover benchmark service?): stop it first.");
    }
}

/// <summary>
/// The dispatcher's production safety poll, for the latency benchmarks: commits wake it (the in-process signal and the
/// outbox's NOTIFY), so a benchmark that set the test suites' short poll would measure the poll, not the wake-up.
/// </summary>
internal static class OutboxPoll
{
    public static readonly string Production = new Trust.Platform.Messaging.Outbox.OutboxOptions().PollInterval.ToString("c", CultureInfo.InvariantCulture);
}
