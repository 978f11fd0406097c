using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.Schools;
using Trust.Platform.Policy.Features.Trusts;

namespace Trust.Platform.Policy.Tests;

[Collection(PolicyCollection.Name)]
public sealed class DirectoryTests(PolicyFixture fixture)
{
    [Fact]
    public async Task A_trust_admin_lists_every_school_of_the_trust_and_none_of_another()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var page = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools", Json.Options);
        page!.Items.Select(s => s.Id).Should().Contain([fixture.SchoolA1, fixture.SchoolA2]).And.NotContain(fixture.SchoolB1);
    }

    [Fact]
    public async Task A_headteacher_lists_only_their_own_school()
    {
        using var client = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA1));
        var page = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools", Json.Options);
        page!.Items.Select(s => s.Id).Should().Equal(fixture.SchoolA1);
    }

    [Fact]
    public async Task Another_trusts_school_is_not_found()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.GetAsync($"/v1/schools/{fixture.SchoolB1}");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_school_gets_the_london_time_zone_by_default_and_an_etag()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.PostAsJsonAsync("/v1/schools", new { name = "Default Zone Academy", urn = "100010", phase = "secondary", localAuthority = "Nottingham" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        var school = await response.Content.ReadFromJsonAsync<SchoolResponse>(Json.Options);
        school!.TimeZone.Should().Be("Europe/London");
        response.Headers.Location!.ToString().Should().Be($"/v1/schools/{school.Id}");
    }

    [Fact]
    public async Task A_create_retried_with_the_same_idempotency_key_returns_the_first_school_and_adds_no_second()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var key = Guid.NewGuid().ToString();
        var body = new { name = "Retried Academy", urn = "100012", phase = "primary" };

        var first = await PostWithKeyAsync(client, key, body);
        var retry = await PostWithKeyAsync(client, key, body);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        retry.Headers.ETag!.Tag.Should().Be("\"1\"");
        var school = await retry.Content.ReadFromJsonAsync<SchoolResponse>(Json.Options);
        school!.Id.Should().Be((await first.Content.ReadFromJsonAsync<SchoolResponse>(Json.Options))!.Id);
        var page = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools?limit=200", Json.Options);
        page!.Items.Count(s => s.Urn == "100012").Should().Be(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_refused_and_creates_nothing()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var key = Guid.NewGuid().ToString();
        (await PostWithKeyAsync(client, key, new { name = "Keyed Academy", urn = "100013", phase = "primary" })).StatusCode.Should().Be(HttpStatusCode.Created);

        var reused = await PostWithKeyAsync(client, key, new { name = "Other Academy", urn = "100014", phase = "primary" });

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await reused.Content.ReadFromJsonAsync<HttpValidationProblem>();
        problem!.Errors.Should().ContainKey("Idempotency-Key");
        var page = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools?limit=200", Json.Options);
        page!.Items.Should().NotContain(s => s.Urn == "100014");
    }

    [Fact]
    public async Task A_refused_create_does_not_use_up_its_idempotency_key()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var key = Guid.NewGuid().ToString();
        var body = new { name = "Copy Again", urn = "100001", phase = "primary" };

        (await PostWithKeyAsync(client, key, body)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PostWithKeyAsync(client, key, body)).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a refused request records no answer, so the retry is decided afresh");
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/schools") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_urn_that_is_not_six_digits_is_refused_naming_the_field()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.PostAsJsonAsync("/v1/schools", new { name = "Bad URN", urn = "12345", phase = "primary" });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblem>();
        problem!.Errors.Should().ContainKey("urn");
    }

    [Fact]
    public async Task A_duplicate_urn_in_the_same_trust_is_refused()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.PostAsJsonAsync("/v1/schools", new { name = "Copy", urn = "100001", phase = "primary" });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Should().ContainKey("urn");
    }

    [Fact]
    public async Task An_update_needs_the_current_etag()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var created = await client.PostAsJsonAsync("/v1/schools", new { name = "Versioned", urn = "100011", phase = "primary" });
        var school = (await created.Content.ReadFromJsonAsync<SchoolResponse>(Json.Options))!;
        var body = new { name = "Versioned Academy", urn = "100011", phase = "primary", timeZone = "Europe/London" };

        var withoutIfMatch = await client.PutAsJsonAsync($"/v1/schools/{school.Id}", body);
        withoutIfMatch.StatusCode.Should().Be((HttpStatusCode)428);

        using var first = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school.Id}") { Content = JsonContent.Create(body) };
        first.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var updated = await client.SendAsync(first);
        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        updated.Headers.ETag!.Tag.Should().Be("\"2\"");

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school.Id}") { Content = JsonContent.Create(body with { name = "Lost edit" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        (await client.SendAsync(stale)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);

        var read = await client.GetFromJsonAsync<SchoolResponse>($"/v1/schools/{school.Id}", Json.Options);
        read!.Name.Should().Be("Versioned Academy");
    }

    [Fact]
    public async Task Pages_follow_the_cursor_until_every_school_is_listed_once()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var all = await client.GetFromJsonAsync<Page<SchoolResponse>>("/v1/schools?limit=200", Json.Options);
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<Page<SchoolResponse>>($"/v1/schools?limit=1{(cursor is null ? "" : "&cursor=" + cursor)}", Json.Options);
            page!.Items.Should().HaveCountLessThanOrEqualTo(1);
            seen.AddRange(page.Items.Select(s => s.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        seen.Should().Equal(all!.Items.Select(s => s.Id));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=%25%25%25", "cursor")]
    public async Task A_bad_page_request_names_the_parameter(string query, string field)
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.GetAsync("/v1/schools?" + query);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Should().ContainKey(field);
    }

    [Fact]
    public async Task A_trust_onboarding_retried_with_the_same_idempotency_key_returns_the_first_trust_and_creates_no_second()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var key = Guid.NewGuid().ToString();
        var body = new { name = "Retried Trust", firstAdmin = new { displayName = "First admin", email = "admin@retried.example" } };

        var first = await PostTrustWithKeyAsync(operatorClient, key, body);
        var retry = await PostTrustWithKeyAsync(operatorClient, key, body);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        var trust = (await first.Content.ReadFromJsonAsync<CreatedTrustResponse>())!;
        var replayed = (await retry.Content.ReadFromJsonAsync<CreatedTrustResponse>())!;
        replayed.Id.Should().Be(trust.Id);
        replayed.FirstAdmin.Id.Should().Be(trust.FirstAdmin.Id, "the retry registered no second admin");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust.Id));
        (await admin.GetFromJsonAsync<TrustResponse>($"/v1/trusts/{trust.Id}"))!.Name.Should().Be("Retried Trust");
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_trust_is_refused_and_creates_nothing()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var key = Guid.NewGuid().ToString();
        var created = await PostTrustWithKeyAsync(operatorClient, key, new { name = "Keyed Trust", firstAdmin = new { displayName = "First admin", email = "admin@keyed.example" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var trust = (await created.Content.ReadFromJsonAsync<CreatedTrustResponse>())!;

        var reused = await PostTrustWithKeyAsync(operatorClient, key, new { name = "Other Trust", firstAdmin = new { displayName = "First admin", email = "admin@other.example" } });

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await reused.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Should().ContainKey("Idempotency-Key");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust.Id));
        (await admin.GetFromJsonAsync<TrustResponse>($"/v1/trusts/{trust.Id}"))!.Name.Should().Be("Keyed Trust", "the refused request changed nothing");
    }

    private static Task<HttpResponseMessage> PostTrustWithKeyAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/trusts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task An_operator_creates_a_trust_whose_admin_then_sees_it()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trustId = await PolicyFixture.CreateTrustAsync(operatorClient, "New Trust");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trustId));
        var trust = await admin.GetFromJsonAsync<TrustResponse>($"/v1/trusts/{trustId}");
        trust!.Name.Should().Be("New Trust");
        (await admin.GetAsync($"/v1/trusts/{fixture.TrustA}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}

public sealed record HttpValidationProblem(int Status, string? Title, string? Detail, Dictionary<string, string[]> Errors);
