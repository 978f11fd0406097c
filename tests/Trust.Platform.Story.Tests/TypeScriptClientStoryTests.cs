using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The TypeScript example (clients/typescript: openapi-typescript types from the committed contracts, openapi-fetch) runs
/// the AET rollout through a gateway on a real port. This test sets the scene the script cannot (the trust, Mellers,
/// the callers' tokens from the development minter) and passes when the script's every typed call went as documented.
/// deploy/clients.sh generates the types and compiles the script; the test command runs it before the suites.
/// </summary>
[Collection(StoryCollection.Name)]
public sealed class TypeScriptClientStoryTests(StoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_aet_rollout_runs_through_the_gateway_with_the_typescript_example()
    {
        var script = Path.Combine(OpenApiGolden.RepositoryRoot(), "clients", "typescript", "dist", "story.js");
        File.Exists(script).Should().BeTrue($"{script} is built by deploy/clients.sh (the test command runs it)");
        var gateway = fixture.RealGatewayAddress();

        using var http = new HttpClient { BaseAddress = new Uri(gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            fixture.Policy.Token(new DevUser("ts-operator", "Operator", null, [Roles.PlatformOperator])));
        var trust = (await (await http.PostAsJsonAsync("/policy/v1/trusts", new
        {
            name = "Aspire Educational Trust", firstAdmin = new { displayName = "AET chief executive", email = "ceo@aet.example" },
        })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var ceo = fixture.Policy.Token(new DevUser("ts-ceo", "AET chief executive", trust, [Roles.TrustAdmin]));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ceo);
        var created = await http.PostAsJsonAsync("/policy/v1/schools", new { name = "Mellers Primary School", urn = "140203", phase = "primary", localAuthority = "Nottingham" });
        await Http.EnsureSuccessAsync(created);
        var mellers = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        var start = new ProcessStartInfo("node", script) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TP_GATEWAY"] = gateway;
        start.Environment["TP_MELLERS"] = mellers.ToString();
        start.Environment["TP_TODAY"] = TestClock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        start.Environment["TP_CEO_TOKEN"] = ceo;
        start.Environment["TP_HEAD_TOKEN"] = fixture.Policy.Token(new DevUser($"ts-head-{mellers:N}", "Mellers headteacher", trust, [$"{Roles.Headteacher}:{mellers}"]));
        start.Environment["TP_STAFF_TOKEN"] = fixture.Policy.Token(new DevUser($"ts-staff-{mellers:N}", "Mellers teacher", trust, [$"{Roles.Staff}:{mellers}"]));
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await node.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        node.ExitCode.Should().Be(0, await stderr);
        (await stdout).Should().Contain("refused: ").And.Contain("story done: case ");
    }
}
