using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Trust.Platform.TestSupport;

/// <summary>
/// A service run as its own process from its published output (ReadyToRun, deploy/publish.sh), as deploy/run.sh runs it (in Production, no owner
/// login unless it is the <c>migrate</c> verb), against a test database and virtual host of the shared servers: for what
/// only a real process shows (its memory and CPU, a cold start, a SIGKILL).
/// </summary>
public static class ServiceProcess
{
    /// <summary>The last lines each process wrote (its logs are at Warning: no personal data), for a start-up that fails.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, System.Collections.Concurrent.ConcurrentQueue<string>> Tails = [];

    /// <summary>The last lines <paramref name="process"/> wrote (at most 120; Warning and above, no personal data): to explain a failed check.</summary>
    public static IReadOnlyList<string> TailOf(Process process) => [.. Tails.GetOrCreateValue(process)];

    /// <summary>A key for the settings that need one (webhook signing, evidence encryption), new for each test run.</summary>
    private static readonly string RandomKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Starts <paramref name="name"/> (<c>Policy</c>, <c>Accounts</c>, <c>Incidents</c>, <c>Training</c> or <c>Gateway</c>) on
    /// <paramref name="port"/>, or its <c>migrate</c> verb; <paramref name="settings"/> (environment variable names, as
    /// <c>RabbitMq__Port</c>) are applied last, so a test can point one at a broker that is not there.
    /// </summary>
    public static Process Start(
        TestServers servers, string name, int port, string evidencePath, bool migrate = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = DllOf(name);
        var start = new ProcessStartInfo("dotnet", migrate ? [dll, "migrate"] : [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = start.Environment;
        // The suite's clock run sets Clock__Now for the processes of the test itself; a Production process refuses a clock
        // override (PlatformClock), and what a process test measures (start, delivery, an answer) is on the real clock.
        env.Remove("Clock__Now");
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Logging__LogLevel__Default"] = "Warning";
        if (name != "Gateway")
        {
            var broker = servers.VirtualHost.CredentialsFor(name.ToLowerInvariant());
            env["ConnectionStrings__App"] = servers.Database.AppConnectionString;
            env["ConnectionStrings__Dispatcher"] = servers.Database.DispatcherConnectionString;
            if (migrate)
            {
                env["ConnectionStrings__Owner"] = servers.Database.OwnerConnectionString;
            }

            env["Database__MigrateOnStartup"] = "false";
            env["Database__AppRole"] = TestEnvironment.AppRole;
            env["Database__DispatcherRole"] = TestEnvironment.DispatcherRole;
            env["RabbitMq__Host"] = TestEnvironment.RabbitHost;
            env["RabbitMq__Port"] = TestEnvironment.RabbitPort.ToString(CultureInfo.InvariantCulture);
            env["RabbitMq__VirtualHost"] = servers.VirtualHost.Name;
            env["RabbitMq__Username"] = broker.Username;
            env["RabbitMq__Password"] = broker.Password;
            env["Auth__SigningKey"] = servers.SigningKey;
            env["Smtp__Host"] = TestEnvironment.SmtpHost;
            env["Smtp__Port"] = TestEnvironment.SmtpPort.ToString(CultureInfo.InvariantCulture);
            env["Smtp__Tls"] = "none";
            env["Limits__UserPermitsPerMinute"] = "100000000";
            env["Webhooks__SigningKey"] = RandomKey;
            env["Evidence__Path"] = evidencePath;
            env["Evidence__Key"] = RandomKey;
        }

        if (!migrate)
        {
            env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = Process.Start(start)!;
        var tail = Tails.GetOrCreateValue(process);
        void Keep(string? line)
        {
            if (line is { Length: > 0 })
            {
                tail.Enqueue(line);
                while (tail.Count > 120 && tail.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is { Length: > 0 } line && migrate)
            {
                Console.Error.WriteLine($"[{name} migrate] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);
        return process;
    }

    /// <summary>
    /// The published entry assembly of <paramref name="name"/> (<c>.tp/publish/{name}</c>, what deploy/publish.sh writes and
    /// deploy/run.sh runs). deploy/test.sh and deploy/bench.sh publish after every build; a test run by hand after a change
    /// needs <c>deploy/publish.sh</c> first, or it runs the last published code.
    /// </summary>
    public static string DllOf(string name)
    {
        var root = OpenApiGolden.RepositoryRoot();
        var dll = Path.Combine(root, ".tp", "publish", name, $"Trust.Platform.{name}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: run deploy/publish.sh {name} after the Release build (deploy/test.sh and deploy/bench.sh do).");
        }

        // A Release build after the last publish (of the service or of a library of ours) would have these tests run the code
        // as it was: refuse rather than test it.
        var bin = Path.Combine(root, "services", name, "bin", "Release", "net10.0");
        foreach (var published in Directory.EnumerateFiles(Path.GetDirectoryName(dll)!, "Trust.Platform.*.dll"))
        {
            var built = Path.Combine(bin, Path.GetFileName(published));
            if (File.Exists(built) && File.GetLastWriteTimeUtc(built) > File.GetLastWriteTimeUtc(published))
            {
                throw new InvalidOperationException(
                    $"{published} is older than the Release build ({built}): run deploy/publish.sh {name} so that the process tests run the code as it is now.");
            }
        }

        return dll;
    }

    /// <summary>Runs <paramref name="name"/>'s <c>migrate</c> verb to the end (the services start with no owner login).</summary>
    public static async Task MigrateAsync(TestServers servers, string name, string evidencePath)
    {
        using var migrate = Start(servers, name, 0, evidencePath, migrate: true);
        await migrate.WaitForExitAsync();
        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} migrate exited with {migrate.ExitCode}.");
        }
    }

    /// <summary>Waits for <paramref name="path"/> (<c>/health/ready</c>) to answer 200 (a process that exits first fails at once).</summary>
    public static async Task WaitReadyAsync(HttpClient http, string name, int port, Process process, TimeSpan timeout, string path = "/health/ready")
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited during start-up with {process.ExitCode}; its last lines:\n{string.Join("\n", Tails.GetOrCreateValue(process))}");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{name} did not answer {path} within {timeout.TotalSeconds:F0} s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the process (SIGKILL: no shutdown hook, no flush) and waits for it to be gone.</summary>
    public static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>A loopback port nothing listens on (free again once the probe stops).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
