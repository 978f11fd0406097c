using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.ApiKeys;
using Trust.Platform.Policy.Features.ApiKeys.Create;
using Trust.Platform.Policy.Features.Schools;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

[Collection(PolicyCollection.Name)]
public sealed class ApiKeyTests(PolicyFixture fixture)
{
    private async Task<IssuedKey> IssueAsync(Guid trust, string[] scopes, Guid[]? schools = null, int? rateLimit = null)
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "MIS " + Guid.NewGuid().ToString("N")[..6], scopes, schoolIds = schools, rateLimitPerMinute = rateLimit });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        return (await response.Content.ReadFromJsonAsync<IssuedKey>())!;
    }

    [Fact]
    public async Task A_key_reads_its_trusts_schools_within_its_scope()
    {
        var issued = await IssueAsync(fixture.TrustA, [Scopes.DirectoryRead]);
        using var client = fixture.Policy.ClientWithKey(issued.Secret);
        var page = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools", Json.Options);
        page!.Items.Select(s => s.Id).Should().Contain(fixture.SchoolA1).And.NotContain(fixture.SchoolB1);
        (await client.PostAsJsonAsync("/v1/schools", new { name = "x", urn = "1", phase = "primary" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_key_is_shown_once_and_the_database_holds_only_its_hash()
    {
        var issued = await IssueAsync(fixture.TrustA, [Scopes.DirectoryRead]);
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var listed = await admin.GetStringAsync("/v1/api-keys?limit=200");
        listed.Should().Contain(issued.Key.Prefix).And.NotContain(issued.Secret);
        (await admin.GetStringAsync($"/v1/api-keys/{issued.Key.Id}")).Should().NotContain(issued.Secret);

        await using var connection = new NpgsqlConnection(fixture.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM policy.api_keys k WHERE strpos(k::text, $1) > 0)
                 + (SELECT count(*) FROM policy.outbox_messages o WHERE strpos(o::text, $1) > 0)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = issued.Secret[17..] });
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_within_five_seconds()
    {
        var issued = await IssueAsync(fixture.TrustA, [Scopes.DirectoryRead]);
        using var client = fixture.Policy.ClientWithKey(issued.Secret);
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var clock = Stopwatch.StartNew();
        (await admin.DeleteAsync($"/v1/api-keys/{issued.Key.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));

        var key = await admin.GetFromJsonAsync<ApiKeyResponse>($"/v1/api-keys/{issued.Key.Id}");
        key!.RevokedAt.Should().NotBeNull();
        // The last use is recorded off the request path (ApiKeyUsage), so it may land a moment after the answer.
        await Eventually.Until(() => admin.GetFromJsonAsync<ApiKeyResponse>($"/v1/api-keys/{issued.Key.Id}"), k => k!.LastUsedAt is not null,
            TimeSpan.FromSeconds(5), "the key was used before it was revoked");
    }

    [Fact]
    public async Task A_school_restricted_key_sees_only_its_school()
    {
        var issued = await IssueAsync(fixture.TrustA, [Scopes.DirectoryRead], [fixture.SchoolA2]);
        using var client = fixture.Policy.ClientWithKey(issued.Secret);
        var page = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools", Json.Options);
        page!.Items.Select(s => s.Id).Should().Equal(fixture.SchoolA2);
        (await client.GetAsync($"/v1/schools/{fixture.SchoolA1}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_school_restricted_key_reads_only_its_schools_deviations_and_reviews()
    {
        var issued = await IssueAsync(fixture.SeededTrust, [Scopes.PolicyRead], [fixture.Mellers]);
        using var client = fixture.Policy.ClientWithKey(issued.Secret);

        var deviations = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/policy/deviations"))!;
        deviations["schools"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()).Should().Equal(fixture.Mellers);
        deviations["settings"]!.AsArray().Should().NotBeEmpty("Mellers tailors settings of its own (003)");
        deviations["settings"]!.AsArray().SelectMany(r => r!["schools"]!.AsArray()).Select(c => c!["schoolId"]!.GetValue<Guid>())
            .Should().OnlyContain(id => id == fixture.Mellers);

        var reviews = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/v1/policy/reviews"))!;
        reviews.Select(r => r!["schoolId"]!.GetValue<Guid>()).Should().Equal(fixture.Mellers);
    }

    [Fact]
    public async Task The_trust_admin_still_sees_every_schools_deviations_and_reviews()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        var deviations = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/policy/deviations"))!;
        deviations["schools"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()).Should().BeEquivalentTo([fixture.OldBasford, fixture.Mellers]);
        (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/v1/policy/reviews"))!.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_school_restricted_key_cannot_create_a_school_even_with_the_write_scope()
    {
        var issued = await IssueAsync(fixture.TrustA, [Scopes.DirectoryWrite, Scopes.DirectoryRead], [fixture.SchoolA1]);
        using var client = fixture.Policy.ClientWithKey(issued.Secret);
        var response = await client.PostAsJsonAsync("/v1/schools", new { name = "Created by a restricted key", urn = "199999", phase = "primary" });
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_key_with_an_expiry_works_until_then_and_shows_it()
    {
        var expiresAt = TestClock.Now.AddSeconds(3);
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Expiring", scopes = new[] { Scopes.DirectoryRead }, expiresAt });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        var id = body["key"]!["id"]!.GetValue<Guid>();
        body["key"]!["expiresAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(expiresAt, TimeSpan.FromMilliseconds(1));
        (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/v1/api-keys/{id}"))!["expiresAt"]!.GetValue<DateTimeOffset>()
            .Should().BeCloseTo(expiresAt, TimeSpan.FromMilliseconds(1));
        (await admin.GetStringAsync("/v1/api-keys?limit=200")).Should().Contain("expiresAt");

        using var client = fixture.Policy.ClientWithKey(body["secret"]!.GetValue<string>());
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10),
            "the key has expired");
        TestClock.Now.Should().BeOnOrAfter(expiresAt, "an expired key fails, not a key about to expire");
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused_by_name()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Expired", scopes = new[] { Scopes.DirectoryRead }, expiresAt = TestClock.Now.AddMinutes(-1) });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Keys.Should().Equal("expiresAt");
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after()
    {
        var issued = await IssueAsync(fixture.TrustA, [Scopes.DirectoryRead], rateLimit: 2);
        using var client = fixture.Policy.ClientWithKey(issued.Secret);
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);
        var limited = await client.GetAsync("/v1/schools");
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        limited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("tpk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_or_malformed_key_is_401(string key)
    {
        using var client = fixture.Policy.ClientWithKey(key);
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unknown_scopes_and_foreign_schools_are_refused_by_name()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        // The scopes are checked by the validator before the handler looks the schools up, so each is its own request.
        var unknownScope = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Bad", scopes = new[] { "everything" }, schoolIds = new[] { fixture.SchoolA1 } });
        unknownScope.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknownScope.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Keys.Should().Contain("scopes");

        var foreignSchool = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Bad", scopes = new[] { Scopes.DirectoryRead }, schoolIds = new[] { fixture.SchoolB1 } });
        foreignSchool.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await foreignSchool.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Keys.Should().Contain("schoolIds");
    }

    [Fact]
    public async Task An_issue_retried_with_the_same_idempotency_key_returns_the_first_key_without_its_secret_and_issues_no_second()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var key = Guid.NewGuid().ToString();
        var name = "Retried MIS " + key[..8];
        var body = new { name, scopes = new[] { Scopes.DirectoryRead } };

        var first = await PostWithKeyAsync(admin, key, body);
        var retry = await PostWithKeyAsync(admin, key, body);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        retry.Headers.CacheControl!.NoStore.Should().BeTrue();
        var issued = (await first.Content.ReadFromJsonAsync<CreatedApiKeyResponse>())!;
        var replayed = (await retry.Content.ReadFromJsonAsync<CreatedApiKeyResponse>())!;
        issued.Secret.Should().NotBeNullOrEmpty();
        replayed.Key.Id.Should().Be(issued.Key.Id);
        replayed.Secret.Should().BeNull("the secret is shown once and stored nowhere, the replay included");
        (await admin.GetStringAsync("/v1/api-keys?limit=200")).Split(name).Should().HaveCount(2, "one key has the name");

        await using var connection = new NpgsqlConnection(fixture.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM policy.idempotency_requests r WHERE strpos(r::text, $1) > 0", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = issued.Secret![17..] });
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_key_request_is_refused_and_issues_nothing()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var key = Guid.NewGuid().ToString();
        (await PostWithKeyAsync(admin, key, new { name = "Keyed MIS", scopes = new[] { Scopes.DirectoryRead } })).StatusCode.Should().Be(HttpStatusCode.Created);

        var other = "Other MIS " + key[..8];
        var reused = await PostWithKeyAsync(admin, key, new { name = other, scopes = new[] { Scopes.DirectoryRead } });

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await reused.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Should().ContainKey("Idempotency-Key");
        (await admin.GetStringAsync("/v1/api-keys?limit=200")).Should().NotContain(other);
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
