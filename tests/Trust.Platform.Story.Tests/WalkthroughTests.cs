using System.Diagnostics;
using System.Text.RegularExpressions;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// docs/walkthrough.md is run as written, with curl, against a real gateway port and the demo seed
/// (the same <c>seed-demo</c> that <c>deploy/run.sh</c> runs), so the calls it shows cannot drift from the APIs.
/// </summary>
[Collection(StoryCollection.Name)]
public sealed partial class WalkthroughTests(StoryFixture fixture, ITestOutputHelper output)
{
    private static readonly Guid Mellers = Guid.Parse("0193f1a0-0000-7000-8000-000000000003");

    [GeneratedRegex("```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"^\s+(demo-[a-z-]+)\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    private static string Repository([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [Fact]
    public async Task The_walkthrough_in_the_docs_runs_with_curl_against_the_demo_seed_and_shows_each_effect()
    {
        var seedOutput = new StringWriter();
        (await DemoSeeder.RunAsync(fixture.Policy.Services, seedOutput)).Should().Be(0);
        var printed = seedOutput.ToString();
        var tokens = TokenLine().Matches(printed).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var misKey = printed[(printed.IndexOf("shown once): ", StringComparison.Ordinal) + "shown once): ".Length)..].Trim();
        var gateway = fixture.RealGatewayAddress();

        // The seed's events (schools, key, version 1.0) reach the other services before the walkthrough starts.
        using var ceo = new StoryClients(fixture).WithKey(misKey);
        await Eventually.Until(async () => (await ceo.GetAsync($"/training/v1/schools/{Mellers}/training-policy")).IsSuccessStatusCode
                ? (await ceo.GetJsonAsync($"/training/v1/schools/{Mellers}/training-policy"))["version"]?.GetValue<string>() : null,
            v => v == "1.0", TimeSpan.FromSeconds(30), "Training knows the demo key, Mellers and version 1.0");

        var blocks = BashBlock().Matches(await File.ReadAllTextAsync(Path.Combine(Repository(), "docs", "walkthrough.md")))
            .Select(m => m.Groups[1].Value).Where(b => !b.Contains("<paste", StringComparison.Ordinal)).ToList();
        blocks.Should().HaveCountGreaterThan(5);
        var script = string.Join('\n', [
            "set -euo pipefail",
            $"GW={gateway}",
            // The platform's today, which the run may have fixed (Clock__Now); the walkthrough falls back to date -u.
            $"TODAY={TestClock.Day(TestClock.Today)}",
            $"CEO='{tokens["demo-ceo"]}'",
            $"MELLERS_HEAD='{tokens["demo-mellers-headteacher"]}'",
            $"MELLERS_DSL='{tokens["demo-mellers-dsl"]}'",
            $"MELLERS_STAFF='{tokens["demo-mellers-staff"]}'",
            $"BASFORD_HEAD='{tokens["demo-oldbasford-headteacher"]}'",
            $"MIS_KEY='{misKey}'",
            .. blocks]);

        // The service scans every minute; here the scanner is driven while the script waits for the overdue list.
        using var stop = new CancellationTokenSource();
        var scanner = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
                await Task.Delay(500, CancellationToken.None);
            }
        });
        var (exit, stdout, stderr) = await RunBashAsync(script, TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await scanner;
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("sla.response_hours " + Mellers + " 24 (school)")
            .And.Contain("journalist.rule 0193f1a0-0000-7000-8000-000000000000 headteacher_and_chair (school)")
            .And.Contain("HTTP 422").And.Contain("tighten")
            .And.Contain("\"responseHours\":24")
            .And.Contain("\"minimumAdministrators\":2,\"approvalChain\":[\"marketing_officer\",\"headteacher\"]")
            .And.Contain("\"joined\":3")
            .And.Contain("{\"requirement\":\"induction\",\"status\":\"due\"")
            .And.Contain("{\"requirement\":\"induction\",\"status\":\"done\"}")
            .And.Contain("{\"assignedRole\":\"dsl\",\"restricted\":true}")
            .And.Contain("headteacher: HTTP 404")
            .And.Contain("2026-11-23T17:00:00")
            .And.Contain("\"overdue\":true")
            .And.Contain("{\"requirement\":\"incident_refresher\",\"status\":\"due\"")
            .And.Contain("\"left\":1")
            .And.Contain("Mellers Primary School: induction 1/2", "Jo is done; Jo Travis is due; Gary has left");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunBashAsync(string script, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The walkthrough did not finish within {timeout.TotalSeconds} s: {await stdout} {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
