using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>Drafting with an Idempotency-Key, and what a version's state refuses.</summary>
[Collection(PolicyCollection.Name)]
public sealed class PolicyVersionTests(PolicyFixture fixture)
{
    private async Task<HttpClient> NewTrustAdminAsync()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Versioned Trust");
        var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.CompleteDocumentsAsync(admin);
        return admin;
    }

    private static Task<HttpResponseMessage> DraftWithKeyAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/policy/versions") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_retried_draft_with_the_same_idempotency_key_returns_the_first_draft()
    {
        using var admin = await NewTrustAdminAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { kind = "major", summary = "First trust-wide social media policy" };

        var first = await DraftWithKeyAsync(admin, key, body);
        var retry = await DraftWithKeyAsync(admin, key, body);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created, "a retry is answered as the first request was, not refused as a second open draft");
        retry.Headers.Location.Should().Be(first.Headers.Location);
        (await retry.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>()
            .Should().Be((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        (await admin.GetFromJsonAsync<JsonArray>("/v1/policy/versions")).Should().ContainSingle();
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_draft_is_refused_and_creates_nothing()
    {
        using var admin = await NewTrustAdminAsync();
        var key = Guid.NewGuid().ToString();
        (await DraftWithKeyAsync(admin, key, new { kind = "major", summary = "First" })).StatusCode.Should().Be(HttpStatusCode.Created);

        var reused = await DraftWithKeyAsync(admin, key, new { kind = "minor", summary = "Something else" });

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await reused.Content.ReadFromJsonAsync<HttpValidationProblem>();
        problem!.Errors.Should().ContainKey("Idempotency-Key");
        (await admin.GetFromJsonAsync<JsonArray>("/v1/policy/versions"))!.Select(v => v!["summary"]!.GetValue<string>()).Should().Equal("First");
    }

    [Fact]
    public async Task Approving_or_publishing_a_version_in_the_wrong_state_is_a_409_naming_its_state()
    {
        using var admin = await NewTrustAdminAsync();
        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "First" });
        var id = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        var unapproved = await admin.PostAsync($"/v1/policy/versions/{id}/publish", null);
        unapproved.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await unapproved.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>().Should().Be("draft");

        var approval = new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) };
        (await admin.PostAsJsonAsync($"/v1/policy/versions/{id}/approve", approval)).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await admin.PostAsJsonAsync($"/v1/policy/versions/{id}/approve", approval);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>().Should().Be("approved");

        (await admin.PostAsync($"/v1/policy/versions/{id}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var republished = await admin.PostAsync($"/v1/policy/versions/{id}/publish", null);
        republished.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await republished.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>().Should().Be("published");

        var open = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "minor", summary = "Typo" });
        open.StatusCode.Should().Be(HttpStatusCode.Created);
        var second = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "minor", summary = "Another typo" });
        second.StatusCode.Should().Be(HttpStatusCode.Conflict, "one version is open at a time");
        (await second.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>().Should().Be("draft");
    }
}
