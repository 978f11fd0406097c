using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Trust.Platform.Accounts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Features.Trusts;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;
using Xunit.Abstractions;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// A role given or taken away in Policy reaches every service through its replica of appointments: the four services in
/// one process on the real PostgreSQL and RabbitMQ, a member who signs in with a token carrying only their subject and
/// trust, and the time each service takes to grant and to refuse, measured.
/// </summary>
public sealed class RoleChangeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);
    private TestServers _servers = null!;
    private ServiceFactory<PolicyService> _policy = null!;
    private ServiceFactory<AccountsService> _accounts = null!;
    private ServiceFactory<IncidentsService> _incidents = null!;
    private ServiceFactory<TrainingService> _training = null!;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.CreateAsync("rolechange");
        _policy = new ServiceFactory<PolicyService>(_servers);
        _accounts = new ServiceFactory<AccountsService>(_servers);
        _incidents = new ServiceFactory<IncidentsService>(_servers);
        _training = new ServiceFactory<TrainingService>(_servers);
        _ = _policy.Server;
        _ = _accounts.Server;
        _ = _incidents.Server;
        _ = _training.Server;
    }

    public async Task DisposeAsync()
    {
        await _training.DisposeAsync();
        await _incidents.DisposeAsync();
        await _accounts.DisposeAsync();
        await _policy.DisposeAsync();
        await _servers.DisposeAsync();
    }

    /// <summary>One service's question "may this caller act as the school's DSL": the answer when granted, and when refused.</summary>
    private sealed record Probe(string Service, Func<HttpClient> Client, Func<HttpClient, Task<HttpResponseMessage>> Ask, HttpStatusCode Granted);

    [Fact]
    public async Task An_appointed_dsl_is_granted_in_every_service_and_refused_in_every_service_within_five_seconds_of_the_end()
    {
        using var operatorClient = _policy.ClientFor(new DevUser("rc-operator", "Operator", null, [Roles.PlatformOperator]));
        var created = await operatorClient.PostAsJsonAsync("/v1/trusts", new { name = "Role Change Trust", firstAdmin = new { displayName = "CEO", email = "ceo@rolechange.example" } });
        await Http.EnsureSuccessAsync(created);
        var trust = (await created.Content.ReadFromJsonAsync<CreatedTrustResponse>())!.Id;
        using var admin = _policy.ClientFor(new DevUser("rc-admin", "Admin", trust, [Roles.TrustAdmin]));
        var school = await admin.PostAsJsonAsync("/v1/schools", new { name = "Mellers Primary School", urn = "140003", phase = "primary" });
        await Http.EnsureSuccessAsync(school);
        var schoolId = await IdOfAsync(school);

        var subject = "oid-" + Guid.NewGuid().ToString("N");
        var invited = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Designated safeguarding lead", email = "dsl@rolechange.example", subject });
        await Http.EnsureSuccessAsync(invited);
        var memberId = await IdOfAsync(invited);

        // A token from the trust's identity provider: the subject and the trust, no platform role.
        var member = new DevUser(subject, "DSL", trust, []);
        Probe[] probes =
        [
            new("policy", () => _policy.ClientFor(member), c => c.GetAsync($"/v1/schools/{schoolId}"), HttpStatusCode.OK),
            new("incidents", () => _incidents.ClientFor(member), c => c.GetAsync($"/v1/schools/{schoolId}/cases"), HttpStatusCode.OK),
            new("training", () => _training.ClientFor(member), c => c.GetAsync($"/v1/schools/{schoolId}/compliance"), HttpStatusCode.OK),
            // Anyone at a school may decide an application's step they hold: an empty step is the validator's 400, after the access check.
            new("accounts", () => _accounts.ClientFor(member),
                c => c.PostAsJsonAsync($"/v1/applications/{Guid.NewGuid()}/decisions", new { step = "", outcome = "approve" }), HttpStatusCode.BadRequest),
        ];
        foreach (var probe in probes)
        {
            using var client = probe.Client();
            (await probe.Ask(client)).StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{probe.Service} grants nothing before the appointment");
        }

        var appointed = await admin.PostAsJsonAsync($"/v1/schools/{schoolId}/appointments", new { memberId, role = "dsl", startsOn = "2000-01-01" });
        await Http.EnsureSuccessAsync(appointed);
        var appointmentId = await IdOfAsync(appointed);
        var granted = await MeasureAsync(probes, p => p.Granted);
        Report("granted", granted);

        var clock = Stopwatch.StartNew();
        using var end = new HttpRequestMessage(HttpMethod.Delete, $"/v1/schools/{schoolId}/appointments/{appointmentId}");
        end.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        (await admin.SendAsync(end)).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await MeasureAsync(probes, _ => HttpStatusCode.Forbidden, clock);
        Report("refused after the end", refused);

        refused.Should().AllSatisfy(r => r.Elapsed.Should().BeLessThan(Promise, $"{r.Service} must refuse an ended post within 5 s"));
        granted.Should().AllSatisfy(r => r.Elapsed.Should().BeLessThan(Promise, $"{r.Service} must grant a new post within 5 s"));
    }

    /// <summary>Polls every service at once until it answers <paramref name="expected"/>; the time each took.</summary>
    private static async Task<IReadOnlyList<(string Service, TimeSpan Elapsed)>> MeasureAsync(
        IEnumerable<Probe> probes, Func<Probe, HttpStatusCode> expected, Stopwatch? clock = null)
    {
        clock ??= Stopwatch.StartNew();
        return await Task.WhenAll(probes.Select(async probe =>
        {
            using var client = probe.Client();
            await Eventually.Until(async () => (await probe.Ask(client)).StatusCode, status => status == expected(probe),
                TimeSpan.FromSeconds(20), $"{probe.Service} answers {expected(probe)}");
            return (probe.Service, clock.Elapsed);
        }));
    }

    private static async Task<Guid> IdOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<Guid>();

    private void Report(string what, IEnumerable<(string Service, TimeSpan Elapsed)> results)
    {
        foreach (var (service, elapsed) in results)
        {
            output.WriteLine($"{service,-10} {what}: {elapsed.TotalMilliseconds:F0} ms");
        }
    }
}
