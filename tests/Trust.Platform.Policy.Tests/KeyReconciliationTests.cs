using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Trust.Platform.Accounts;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// A replica (Accounts) whose broker is "down": its bus is a virtual host of its own that Policy never
/// publishes to, so no ApiKeyIssued or ApiKeyRevoked of Policy's reaches it. Only its reconciliation with
/// Policy (over HTTP, in process here) can tell it about a key.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class KeyReconciliationTests(PolicyFixture fixture) : IAsyncLifetime
{
    private TestServers _replicaServers = null!;
    private ServiceFactory<AccountsService> _replicaFactory = null!;
    private WebApplicationFactory<AccountsService> _replica = null!;

    public async Task InitializeAsync()
    {
        _replicaServers = await TestServers.CreateAsync("reconcile");
        _replicaFactory = new ServiceFactory<AccountsService>(_replicaServers, new Dictionary<string, string?>
        {
            // The replica signs its service credential with the key Policy trusts (one local signing key, as deploy/run.sh sets it).
            ["Auth:SigningKey"] = fixture.Servers.SigningKey,
            ["ApiKeys:PolicyUrl"] = "http://policy.test",
            ["ApiKeys:ReconcileEvery"] = "00:00:01",
        });
        _replica = _replicaFactory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddHttpClient(ApiKeyReconciler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => fixture.Policy.Server.CreateHandler())));
        _ = _replica.Server;
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _replicaFactory.DisposeAsync();
        await _replicaServers.DisposeAsync();
    }

    private HttpClient ReplicaClient(string key)
    {
        var client = _replica.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(ApiKeySecret.HeaderName, key);
        return client;
    }

    private async Task<IssuedKey> IssueOnPolicyAsync()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Reconciled", scopes = new[] { Scopes.AccountsRead, Scopes.DirectoryRead } });
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<IssuedKey>())!;
    }

    private async Task RevokeOnPolicyAsync(Guid keyId)
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        (await admin.DeleteAsync($"/v1/api-keys/{keyId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_key_revoked_while_the_replicas_broker_is_down_stops_working_there_within_60_seconds()
    {
        var issued = await IssueOnPolicyAsync();
        // The broker was up when the key was issued: the replica got ApiKeyIssued on its own bus (published as Policy would).
        await _replicaServers.PublishAsync(new ApiKeyIssued(
            Guid.CreateVersion7(), fixture.TrustA, issued.Key.CreatedAt, issued.Key.Id, issued.Key.Name, issued.Key.Prefix, ApiKeySecret.Hash(issued.Secret),
            issued.Key.Scopes, issued.Key.SchoolIds, issued.Key.RateLimitPerMinute));
        using var client = ReplicaClient(issued.Secret);
        await Eventually.Until(async () => (await client.GetAsync("/v1/accounts")).StatusCode, s => s == HttpStatusCode.OK, because: "the key reached the replica");

        // Then the broker went down: the revocation's event never reaches the replica.
        var clock = Stopwatch.StartNew();
        await RevokeOnPolicyAsync(issued.Key.Id);
        await Eventually.Until(async () => (await client.GetAsync("/v1/accounts")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(60),
            "reconciliation with Policy revokes the key without any event");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task The_change_feed_answers_as_its_own_contract_entry_documents_not_as_the_key_by_id()
    {
        // The contract check matches a literal path segment before a parameter, as the router does: /v1/api-keys/changes is not /v1/api-keys/{keyId}.
        using var service = fixture.Policy.CreateDefaultClient(new ContractCheck(ServiceFactory<PolicyService>.ServiceName));
        service.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Sign(fixture.Policy,
            new Dictionary<string, object> { [PlatformClaims.Subject] = "service:test", [PlatformClaims.Role] = Roles.PlatformService }));

        var response = await service.GetAsync("/v1/api-keys/changes?limit=1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<ApiKeyChanges>())!.Items.Should().NotBeNull();
    }

    [Fact]
    public async Task The_change_feed_returns_each_change_after_the_cursor_in_commit_order_to_platform_services_only()
    {
        using var service = fixture.Policy.ClientWithToken(TestTokens.Sign(fixture.Policy, new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = "service:test", [PlatformClaims.Role] = Roles.PlatformService,
        }));
        async Task<ApiKeyChanges> ReadAsync(string? after)
        {
            var changes = await service.GetFromJsonAsync<ApiKeyChanges>("/v1/api-keys/changes?limit=500" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            return changes!;
        }

        var start = await ReadAsync(null);
        while (start.More)
        {
            start = await ReadAsync(start.Cursor);
        }

        var issued = await IssueOnPolicyAsync();
        var afterIssue = await ReadAsync(start.Cursor);
        afterIssue.Items.Select(k => (k.Id, k.RevokedAt)).Should().Equal((issued.Key.Id, (DateTimeOffset?)null));
        afterIssue.Items[0].Hash.Should().Equal(ApiKeySecret.Hash(issued.Secret));
        afterIssue.More.Should().BeFalse();

        // Using the key records its last use: not a change a replica needs.
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        using (var key = fixture.Policy.ClientWithKey(issued.Secret))
        {
            (await key.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await Eventually.Until(async () => (await admin.GetFromJsonAsync<Trust.Platform.Policy.Features.ApiKeys.ApiKeyResponse>($"/v1/api-keys/{issued.Key.Id}"))!.LastUsedAt,
            at => at is not null, because: "the last use is recorded");
        (await ReadAsync(afterIssue.Cursor)).Items.Should().BeEmpty();

        await RevokeOnPolicyAsync(issued.Key.Id);
        var afterRevoke = await ReadAsync(afterIssue.Cursor);
        afterRevoke.Items.Should().ContainSingle().Which.RevokedAt.Should().NotBeNull();
        (await ReadAsync(afterRevoke.Cursor)).Items.Should().BeEmpty();

        (await admin.GetAsync("/v1/api-keys/changes")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a trust admin sees only their trust's keys, never the feed");
        (await service.GetAsync("/v1/api-keys/changes?after=not-a-cursor")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_key_issued_while_the_replicas_broker_is_down_reaches_it_by_reconciliation_and_its_revocation_too()
    {
        var issued = await IssueOnPolicyAsync();
        using var client = ReplicaClient(issued.Secret);
        await Eventually.Until(async () => (await client.GetAsync("/v1/accounts")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60),
            "reconciliation brings the new key");

        await RevokeOnPolicyAsync(issued.Key.Id);
        await Eventually.Until(async () => (await client.GetAsync("/v1/accounts")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(60),
            "and its revocation");
    }
}
