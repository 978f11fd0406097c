using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trust.Platform.Contracts;
using Trust.Platform.Policy.Notifications;
using Trust.Platform.Policy.Webhooks;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>Webhooks end to end: events from the broker, signed POSTs to a receiver on loopback, retries, the log, replay.</summary>
[Collection(PolicyCollection.Name)]
public sealed class WebhookTests(PolicyFixture fixture)
{
    [Fact]
    public async Task A_receiver_down_for_the_first_attempts_still_gets_every_event_once_with_a_valid_signature_and_the_log_shows_the_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var (subscription, secret) = await SubscribeAsync(admin, receiver.Url, "incident.reported", "incident.closed", "account.approved");
        receiver.Verify = (header, body) => WebhookSigner.Verify(secret, header, body, TestClock.Now, TimeSpan.FromMinutes(5));

        var events = new List<IIntegrationEvent>
        {
            new IncidentReported(Guid.CreateVersion7(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, Guid.CreateVersion7(), "offensive_comment", Restricted: false),
            new IncidentReported(Guid.CreateVersion7(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, Guid.CreateVersion7(), "concern_about_pupil", Restricted: true),
            new IncidentClosed(Guid.CreateVersion7(), fixture.TrustA, fixture.SchoolA2, TestClock.Now, Guid.CreateVersion7(), "cyberbullying", "resolved", false, Restricted: false),
            new AccountApproved(Guid.CreateVersion7(), fixture.TrustA, fixture.SchoolA2, TestClock.Now, Guid.CreateVersion7(), "facebook", "@schoola2", []),
            // Not chosen by the subscription, and another trust's: neither is sent.
            new PolicyReviewDue(Guid.CreateVersion7(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, TestClock.Today, "due"),
            new IncidentReported(Guid.CreateVersion7(), fixture.TrustB, fixture.SchoolB1, TestClock.Now, Guid.CreateVersion7(), "offensive_comment", Restricted: false),
        };
        foreach (var e in events)
        {
            await fixture.Servers.PublishAsync(e, e.GetType());
        }

        // The service's own deliverer tries each at once and is refused (503); the next attempt waits 30 s.
        var log = await Eventually.Until(() => DeliveriesAsync(admin, subscription), d => d.Count == 4 && d.All(x => x["attempts"]!.AsArray().Count >= 1),
            because: "each chosen event of the trust becomes a delivery and is tried at once");
        log.Should().OnlyContain(d => d["status"]!.GetValue<string>() == "pending");
        receiver.Requests.Should().OnlyContain(r => r.Answer == 503 && r.SignatureValid);

        receiver.Down = false;
        await Deliverer(TimeSpan.FromMinutes(1)).DeliverDueAsync(CancellationToken.None);
        log = await Eventually.Until(() => DeliveriesAsync(admin, subscription), d => d.All(x => x["status"]!.GetValue<string>() == "delivered"));

        var accepted = receiver.Requests.Where(r => r.Answer == 204).ToList();
        accepted.Select(r => r.EventId).Should().BeEquivalentTo(events.Take(4).Select(e => e.EventId.ToString()), "every event arrives once");
        accepted.Should().OnlyContain(r => r.SignatureValid);
        foreach (var delivery in log)
        {
            var attempts = delivery["attempts"]!.AsArray();
            attempts.Select(a => a!["statusCode"]!.GetValue<int>()).Should().EndWith(204).And.Contain(503);
            attempts.Select(a => a!["attempt"]!.GetValue<int>()).Should().BeInAscendingOrder();
        }

        var restricted = JsonNode.Parse(accepted.Single(r => r.EventId == events[1].EventId.ToString()).Body)!;
        restricted["data"]!.ToJsonString().Should().Be("""{"restricted":true}""", "a restricted case's event carries no case details");
        restricted["type"]!.GetValue<string>().Should().Be("incident.reported");
        var open = JsonNode.Parse(accepted.Single(r => r.EventId == events[0].EventId.ToString()).Body)!;
        open["data"]!["caseType"]!.GetValue<string>().Should().Be("offensive_comment");
    }

    [Fact]
    public async Task A_delivery_can_be_replayed_and_a_deleted_subscription_sends_nothing_more()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var (subscription, secret) = await SubscribeAsync(admin, receiver.Url, "account.closed");
        receiver.Verify = (header, body) => WebhookSigner.Verify(secret, header, body, TestClock.Now, TimeSpan.FromMinutes(5));
        var closed = new AccountClosed(Guid.CreateVersion7(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, Guid.CreateVersion7(), "no longer used");
        await fixture.Servers.PublishAsync(closed);
        var first = (await Eventually.Until(() => DeliveriesAsync(admin, subscription), d => d.Count == 1 && d[0]["status"]!.GetValue<string>() == "delivered"))[0];

        var replay = await admin.PostAsync($"/v1/webhooks/{subscription}/deliveries/{first["id"]}/replay", null);
        replay.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await replay.Content.ReadFromJsonAsync<JsonObject>())!["replayOf"]!.GetValue<Guid>().Should().Be(first["id"]!.GetValue<Guid>());
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count(r => r.Answer == 204)), n => n == 2);
        receiver.Requests.Select(r => r.EventId).Distinct().Should().Equal(closed.EventId.ToString());

        using var other = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustB));
        (await other.GetAsync($"/v1/webhooks/{subscription}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.GetAsync($"/v1/webhooks/{subscription}/deliveries")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.PostAsync($"/v1/webhooks/{subscription}/deliveries/{first["id"]}/replay", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await admin.DeleteAsync($"/v1/webhooks/{subscription}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await admin.GetFromJsonAsync<JsonObject>($"/v1/webhooks/{subscription}"))!["status"]!.GetValue<string>().Should().Be("disabled");
        (await admin.PostAsync($"/v1/webhooks/{subscription}/deliveries/{first["id"]}/replay", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        // A second subscription to the same type shows when the next event has been handled: both are decided in one transaction.
        var (witness, _) = await SubscribeAsync(admin, receiver.Url, "account.closed");
        await fixture.Servers.PublishAsync(closed with { EventId = Guid.CreateVersion7() });
        await Eventually.Until(() => DeliveriesAsync(admin, witness), d => d.Count == 1);
        (await DeliveriesAsync(admin, subscription)).Should().HaveCount(2, "a deleted subscription gets no new deliveries");
    }

    [Theory]
    [InlineData("http://mis.example.org/hook", "https")]
    [InlineData("https://10.1.2.3/hook", "public address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "public address")]
    [InlineData("https://[::1]/hook", "public address")]
    [InlineData("https://localhost/hook", "public host name")]
    [InlineData("https://user:pw@mis.example.org/hook", "user name")]
    [InlineData("ftp://mis.example.org/hook", "https://")]
    public async Task A_webhook_url_that_is_not_a_public_https_endpoint_is_refused_on_the_url_field(string url, string reason)
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await admin.PostAsJsonAsync("/v1/webhooks", new { url, eventTypes = new[] { "policy.published" } });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<HttpValidationProblem>())!;
        problem.Errors.Keys.Should().Equal("url");
        problem.Errors["url"][0].Should().Contain(reason);
    }

    [Fact]
    public async Task An_unknown_event_type_is_refused_and_the_secret_is_shown_once()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var bad = await admin.PostAsJsonAsync("/v1/webhooks", new { url = "https://mis.example.org/hook", eventTypes = new[] { "incident.details" } });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Keys.Should().Equal("eventTypes");

        var created = await admin.PostAsJsonAsync("/v1/webhooks", new { url = "https://mis.example.org/hook", eventTypes = new[] { "policy.published" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.CacheControl!.NoStore.Should().BeTrue();
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        body["secret"]!.GetValue<string>().Should().StartWith("whsec_");
        var id = body["subscription"]!["id"]!.GetValue<Guid>();
        (await admin.GetStringAsync($"/v1/webhooks/{id}")).Should().NotContain("whsec_");
        (await admin.GetStringAsync("/v1/webhooks")).Should().NotContain("whsec_");

        using var headteacher = fixture.Policy.ClientFor(fixture.InSchool("headteacher", fixture.TrustA, fixture.SchoolA1));
        (await headteacher.GetAsync("/v1/webhooks")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private WebhookDeliverer Deliverer(TimeSpan ahead) =>
        new(fixture.Policy.Services.GetRequiredService<IServiceScopeFactory>(), new ShiftedTime(ahead),
            fixture.Policy.Services.GetRequiredService<IOptions<WebhookOptions>>(), fixture.Policy.Services.GetRequiredService<WebhookKey>(),
            fixture.Policy.Services.GetRequiredService<IHttpClientFactory>(), new QueueSignal<WebhookDelivery>(), NullLogger<WebhookDeliverer>.Instance);

    private static async Task<(Guid Id, string Secret)> SubscribeAsync(HttpClient admin, string url, params string[] eventTypes)
    {
        var created = await admin.PostAsJsonAsync("/v1/webhooks", new { url, eventTypes, description = "Test receiver" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["subscription"]!["id"]!.GetValue<Guid>(), body["secret"]!.GetValue<string>());
    }

    private static async Task<List<JsonObject>> DeliveriesAsync(HttpClient admin, Guid subscription) =>
        (await admin.GetFromJsonAsync<JsonObject>($"/v1/webhooks/{subscription}/deliveries?limit=100"))!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
}
