using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The TypeScript example (clients/typescript: openapi-typescript types from the committed contracts, openapi-fetch) runs
/// the whole AET rollout through a gateway on a real port, but for the Training restart. This test sets the scene the
/// script cannot (the trust, the CEO's token), hands it the seed's policy values, and answers the script's requests on
/// its stdout: "TOKEN {role, schoolId, staffId}" with a token from the development minter for this trust (the script
/// never sees the signing key), "SWEEP" by running Incidents' overdue scan in process, as AetRolloutStoryTests does.
/// It passes when the script's every typed call went as documented. deploy/clients.sh generates the types and compiles
/// the script; the test command runs it before the suites.
/// </summary>
[Collection(StoryCollection.Name)]
public sealed class TypeScriptClientStoryTests(StoryFixture fixture, ITestOutputHelper output)
{
    /// <summary>The school roles the script may ask a token for: the people of the story, never an operator or a trust admin.</summary>
    private static readonly string[] SchoolRoles = [Roles.Headteacher, Roles.Staff, Roles.Dsl, Roles.MarketingOfficer];

    private static JsonArray Pairs(IReadOnlyDictionary<string, JsonNode?> values) =>
        new([.. values.Select(v => (JsonNode?)new JsonArray(v.Key, v.Value?.DeepClone()))]);

    private string TokenFor(Guid trust, JsonNode asked)
    {
        var role = asked["role"]!.GetValue<string>();
        SchoolRoles.Should().Contain(role, "the script asks only for the story's people");
        var school = Guid.Parse(asked["schoolId"]!.GetValue<string>());
        var staffId = asked["staffId"] is JsonValue staff ? Guid.Parse(staff.GetValue<string>()) : (Guid?)null;
        return fixture.Policy.Token(new DevUser($"ts-{role}-{school:N}-{staffId:N}", $"{role} at {school:N}", trust, [$"{role}:{school}"], staffId));
    }

    [Fact]
    public async Task The_aet_rollout_runs_through_the_gateway_with_the_typescript_example()
    {
        var script = Path.Combine(OpenApiGolden.RepositoryRoot(), "clients", "typescript", "dist", "story.js");
        File.Exists(script).Should().BeTrue($"{script} is built by deploy/clients.sh (the test command runs it)");
        var gateway = fixture.RealGatewayAddress();

        using var http = new HttpClient { BaseAddress = new Uri(gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            fixture.Policy.Token(new DevUser("ts-operator", "Operator", null, [Roles.PlatformOperator])));
        var created = await http.PostAsJsonAsync("/policy/v1/trusts", new
        {
            name = "Aspire Educational Trust", firstAdmin = new { displayName = "AET chief executive", email = "ceo@aet.example" },
        });
        await Http.EnsureSuccessAsync(created);
        var trust = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        var today = TestClock.Today;
        var seed = new JsonObject
        {
            ["baseline"] = Pairs(DemoPolicy.Baseline(today)),
            ["schools"] = new JsonObject(DemoPolicy.Schools(today).Select(s => KeyValuePair.Create(s.Key, (JsonNode?)Pairs(s.Value)))),
        };
        var start = new ProcessStartInfo("node", script) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TP_GATEWAY"] = gateway;
        start.Environment["TP_TODAY"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        start.Environment["TP_NOW"] = TestClock.Now.ToString("O", CultureInfo.InvariantCulture);
        start.Environment["TP_SEED"] = seed.ToJsonString();
        start.Environment["TP_CEO_TOKEN"] = fixture.Policy.Token(new DevUser("ts-ceo", "AET chief executive", trust, [Roles.TrustAdmin]));

        using var node = Process.Start(start)!;
        node.StandardInput.AutoFlush = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var stderr = node.StandardError.ReadToEndAsync(timeout.Token);
        var transcript = new StringBuilder();
        try
        {
            while (await node.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                transcript.AppendLine(line);
                if (line.StartsWith("TOKEN ", StringComparison.Ordinal))
                {
                    await node.StandardInput.WriteLineAsync(TokenFor(trust, JsonNode.Parse(line["TOKEN ".Length..])!));
                }
                else if (line == "SWEEP")
                {
                    await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(timeout.Token);
                    await node.StandardInput.WriteLineAsync("swept");
                }
            }

            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            output.WriteLine(transcript.ToString());
        }

        node.ExitCode.Should().Be(0, await stderr);
        transcript.ToString().Should().Contain("refused: ").And.Contain("story done: ");
    }
}
