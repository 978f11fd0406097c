using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Console;
using Trust.Platform.Gateway;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// The console's server-side render time for a 500-school trust (issue 17: the dashboard and the settings page, p95
/// target 300 ms). Policy, Incidents and Training on real ports with the demo trust seeded and grown to the given number
/// of schools through Policy's API (the other services learn them by event); Training's roster of 100 staff a school with
/// their courses and acknowledgements, and two years of cases, written in bulk as the other benchmarks do. The gateway
/// and the console in this process; a signed-in CEO's GETs timed from request to the last byte of the page, after
/// warm-up. Baseline, same run: the slowest API call each page makes, straight to its service (Training's trust-wide
/// compliance for the dashboard, Policy's effective settings for the settings page): the ratio is what the console adds.
/// </summary>
public static partial class ConsoleBenchmark
{
    private const int Warmup = 5;
    private const int Timed = 40;

    public static async Task RunAsync(int schoolCount, int cases)
    {
        var unlimited = new Dictionary<string, string?> { ["Limits:UserPermitsPerMinute"] = "10000000", ["Logging:LogLevel:Default"] = "Warning" };
        await using var servers = await TestServers.CreateAsync("cbench");
        await using var policy = new ServiceFactory<PolicyService>(servers, unlimited);
        var policyUrl = Listen(policy);
        await using var incidents = new ServiceFactory<IncidentsService>(servers, new Dictionary<string, string?>(unlimited)
        {
            ["Evidence:Path"] = Path.Combine(Path.GetTempPath(), "tp-console-bench"),
        });
        var incidentsUrl = Listen(incidents);
        await using var training = new ServiceFactory<TrainingService>(servers, unlimited);
        var trainingUrl = Listen(training);
        if (await DemoSeeder.RunAsync(policy.Services, TextWriter.Null) != 0)
        {
            throw new InvalidOperationException("the demo trust did not seed");
        }

        var trust = DemoSeeder.TrustId;
        var ceoUser = DemoSeeder.Users().Single(u => u.Subject == "demo-ceo");
        using var ceoPolicy = policy.ClientFor(ceoUser);
        var seedClock = Stopwatch.StartNew();
        for (var i = DemoSeeder.Schools.Count; i < schoolCount; i++)
        {
            using var added = await ceoPolicy.PostAsJsonAsync("/v1/schools", new { name = $"Bench School {i:000}", urn = (150000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), phase = "primary" });
            await Http.EnsureSuccessAsync(added);
        }

        await using var data = NpgsqlDataSource.Create(servers.Database.AppConnectionString);
        await Eventually.Until(() => CountAsync(data, trust, "training.school_directory"), n => n == schoolCount, TimeSpan.FromMinutes(2), "SchoolAdded reaches Training");
        await Eventually.Until(() => CountAsync(data, trust, "incidents.school_directory"), n => n == schoolCount, TimeSpan.FromMinutes(2), "SchoolAdded reaches Incidents");
        await TrainingBenchmark.SeedPeopleAsync(data, trust, 100);
        var schools = await SchoolIdsAsync(data, trust);
        await CaseSearchBenchmark.SeedAsync(data, trust, schools, [.. Enumerable.Range(0, 200).Select(_ => Guid.CreateVersion7())], cases);
        await using (var owner = new NpgsqlConnection(servers.Database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var analyze = new NpgsqlCommand("VACUUM ANALYZE incidents.cases, training.people, training.completions, training.acknowledgements; ANALYZE policy.schools", owner) { CommandTimeout = 600 };
            await analyze.ExecuteNonQueryAsync();
        }

        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        await using var gateway = new GatewayFactory(policyUrl, incidentsUrl, trainingUrl);
        var gatewayUrl = Listen(gateway);
        await using var console = new ConsoleFactory(gatewayUrl, policyUrl);
        var consoleUrl = Listen(console);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(consoleUrl) };
        await SignInAsync(browser, ceoUser.Subject);
        using var ceoTraining = training.ClientFor(ceoUser);
        var overdue = JsonCount(await incidents.ClientFor(ceoUser).GetStringAsync("/v1/cases/overdue?limit=200"));
        var school = schools[schools.Count / 2];

        System.Console.WriteLine($"console render: {schoolCount} schools, {schoolCount * 100} staff, {cases} cases ({(overdue == 200 ? "200 or more" : overdue.ToString(System.Globalization.CultureInfo.InvariantCulture))} past their deadline); seeded in {seedSeconds:0.0} s");
        System.Console.WriteLine($"{Warmup} warm-up and {Timed} timed GETs each, one at a time; ms from request to the page's last byte");
        System.Console.WriteLine("page                                  p50      p95      max   | baseline (its slowest API call, direct)  p50      p95   | p95 ratio");
        var dashboard = await TimeAsync(browser, "/trust", "Your trust at a glance");
        var compliance = await TimeAsync(ceoTraining, "/v1/compliance", null);
        Report("dashboard /trust", dashboard, "GET training /v1/compliance", compliance);
        var settings = await TimeAsync(browser, $"/schools/{school}/settings", "Policy settings");
        var effective = await TimeAsync(ceoPolicy, $"/v1/schools/{school}/policy/effective", null);
        Report("settings /schools/{id}/settings", settings, "GET policy .../policy/effective", effective);
        System.Console.WriteLine($"target: p95 <= 300 ms for both pages: dashboard {(Percentile(dashboard, 0.95) <= 300 ? "met" : "NOT met")}, settings {(Percentile(settings, 0.95) <= 300 ? "met" : "NOT met")}");
    }

    private static async Task SignInAsync(HttpClient browser, string subject)
    {
        var form = await browser.GetStringAsync("/sign-in");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var signedIn = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["subject"] = subject, ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"the demo sign-in answered {(int)signedIn.StatusCode}");
        }
    }

    private static async Task<List<double>> TimeAsync(HttpClient client, string path, string? heading)
    {
        var times = new List<double>();
        for (var i = 0; i < Warmup + Timed; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK || (heading is not null && !body.Contains(heading, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} without its page");
            }

            if (i >= Warmup)
            {
                times.Add(elapsed);
            }
        }

        times.Sort();
        return times;
    }

    private static void Report(string page, List<double> times, string baseline, List<double> base_)
    {
        System.Console.WriteLine(
            $"{page,-36} {Percentile(times, 0.5),7:0.0}  {Percentile(times, 0.95),7:0.0}  {times[^1],7:0.0}   | {baseline,-40} {Percentile(base_, 0.5),7:0.0}  {Percentile(base_, 0.95),7:0.0} | {Percentile(times, 0.95) / Percentile(base_, 0.95),5:0.00}x");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];

    private static int JsonCount(string page) => System.Text.Json.Nodes.JsonNode.Parse(page)!["items"]!.AsArray().Count;

    private static async Task<int> CountAsync(NpgsqlDataSource data, Guid trust, string table)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<Guid>> SchoolIdsAsync(NpgsqlDataSource data, Guid trust)
    {
        await using var connection = await TenantSession.OpenAsync(data, trust);
        await using var command = new NpgsqlCommand("SELECT school_id FROM incidents.school_directory ORDER BY school_id", connection);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static string Listen<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        return client.BaseAddress!.ToString().TrimEnd('/');
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>The pages measured call Policy, Incidents and Training; Accounts points at a port nothing listens on.</summary>
    private sealed class GatewayFactory(string policy, string incidents, string training) : WebApplicationFactory<GatewayService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Services:policy", policy);
            builder.UseSetting("Services:accounts", "http://127.0.0.1:9");
            builder.UseSetting("Services:incidents", incidents);
            builder.UseSetting("Services:training", training);
            builder.UseSetting("Limits:PermitsPerMinute", "10000000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    private sealed class ConsoleFactory(string gateway, string policy) : WebApplicationFactory<ConsoleService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Console:GatewayUrl", gateway);
            builder.UseSetting("Console:DevTokenUrl", policy);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
