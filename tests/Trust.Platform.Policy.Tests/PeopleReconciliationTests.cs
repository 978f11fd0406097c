using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Trust.Platform.Accounts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.People;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// A replica (Accounts) whose broker never carries Policy's events (a virtual host of its own): only its reconciliation
/// with Policy's people feed can tell it that a member was appointed, and that the post ended.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class PeopleReconciliationTests(PolicyFixture fixture) : IAsyncLifetime
{
    private TestServers _replicaServers = null!;
    private ServiceFactory<AccountsService> _replicaFactory = null!;
    private WebApplicationFactory<AccountsService> _replica = null!;

    public async Task InitializeAsync()
    {
        _replicaServers = await TestServers.CreateAsync("peoplereconcile");
        _replicaFactory = new ServiceFactory<AccountsService>(_replicaServers, new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = fixture.Servers.SigningKey,
            ["ApiKeys:PolicyUrl"] = "http://policy.test",
            ["ApiKeys:ReconcileEvery"] = "00:00:01",
        });
        _replica = _replicaFactory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient(ApiKeyReconciler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => fixture.Policy.Server.CreateHandler());
            services.AddHttpClient(PeopleReconciler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => fixture.Policy.Server.CreateHandler());
        }));
        _ = _replica.Server;
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _replicaFactory.DisposeAsync();
        await _replicaServers.DisposeAsync();
    }

    [Fact]
    public async Task A_post_ended_while_the_replicas_broker_is_down_is_refused_there_once_it_reconciles()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var subject = "oid-" + Guid.NewGuid().ToString("N");
        var (_, appointmentId) = await PeopleTests.MemberAppointedAsync(admin, fixture.SchoolA1, "dsl", subject);
        var token = fixture.Policy.Token(new DevUser(subject, "DSL", fixture.TrustA, []));
        using var client = _replica.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        // Anyone at a school reaches the decision endpoint: an empty step is the validator's 400, a caller with no role a 403.
        Task<HttpStatusCode> AskAsync() => client.PostAsJsonAsync($"/v1/applications/{Guid.NewGuid()}/decisions", new { step = "", outcome = "approve" })
            .ContinueWith(t => t.Result.StatusCode);

        await Eventually.Until(AskAsync, s => s == HttpStatusCode.BadRequest, because: "the appointment reached the replica by reconciliation");

        using var end = new HttpRequestMessage(HttpMethod.Delete, $"/v1/schools/{fixture.SchoolA1}/appointments/{appointmentId}");
        end.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        (await admin.SendAsync(end)).StatusCode.Should().Be(HttpStatusCode.OK);

        await Eventually.Until(AskAsync, s => s == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10), "the end reached the replica by reconciliation");
    }
}
