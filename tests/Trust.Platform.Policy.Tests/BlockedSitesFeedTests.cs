using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>002: Facebook, Instagram and Twitter are blocked; a school may add sites; the filtering provider imports the school's list.</summary>
[Collection(PolicyCollection.Name)]
public sealed class BlockedSitesFeedTests(PolicyFixture fixture)
{
    /// <summary>A trust on the catalogue's blocked sites, a school that adds TikTok, another school, and the provider's key for the first school.</summary>
    private async Task<(Guid Trust, Guid School, Guid Other, HttpClient Provider)> NewTrustAsync()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Filtered Trust");
        var school = await fixture.CreateSchoolAsync(trust, "Old Basford School", "710001");
        var other = await fixture.CreateSchoolAsync(trust, "Mellers Primary School", "710002");
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/blocked_sites",
            new JsonObject { ["value"] = new JsonArray("facebook.com", "instagram.com", "twitter.com", "TikTok.com") });
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var key = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Smoothwall feed", scopes = new[] { Scopes.PolicyRead }, schoolIds = new[] { school } });
        await Http.EnsureSuccessAsync(key);
        var secret = (await key.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>();
        return (trust, school, other, fixture.Policy.ClientWithKey(secret));
    }

    private static async Task<HttpResponseMessage> Feed(HttpClient client, Guid school, string accept = "text/plain", string query = "", string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/schools/{school}/blocked-sites{query}");
        request.Headers.Accept.ParseAdd(accept);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_filtering_providers_key_reads_the_trusts_sites_and_the_schools_own_one_per_line()
    {
        var (_, school, _, provider) = await NewTrustAsync();
        using var _ = provider;

        var response = await Feed(provider, school);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync()).Should().Be("facebook.com\ninstagram.com\ntwitter.com\ntiktok.com\n");
    }

    [Fact]
    public async Task With_Accept_text_csv_each_site_is_a_block_row_naming_where_it_comes_from()
    {
        var (_, school, _, provider) = await NewTrustAsync();
        using var _ = provider;

        var response = await Feed(provider, school, "text/csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await response.Content.ReadAsStringAsync()).Should().Be(
            "domain,action,source,allowed_until\r\nfacebook.com,block,trust,\r\ninstagram.com,block,trust,\r\ntwitter.com,block,trust,\r\ntiktok.com,block,school,\r\n");
    }

    [Fact]
    public async Task The_other_school_of_the_trust_gets_only_the_trusts_sites()
    {
        var (trust, _, other, provider) = await NewTrustAsync();
        using var _ = provider;
        using var staff = fixture.Policy.ClientFor(fixture.InSchool(Roles.Staff, trust, other));

        var response = await Feed(staff, other);

        (await response.Content.ReadAsStringAsync()).Should().Be("facebook.com\ninstagram.com\ntwitter.com\n");
    }

    [Fact]
    public async Task A_provider_polling_with_the_etag_gets_304_until_the_list_changes()
    {
        var (trust, school, _, provider) = await NewTrustAsync();
        using var _ = provider;
        var etag = (await Feed(provider, school)).Headers.ETag!.ToString();

        var unchanged = await Feed(provider, school, ifNoneMatch: etag);
        var otherType = await Feed(provider, school, "text/csv", ifNoneMatch: etag);
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/blocked_sites",
            new JsonObject { ["value"] = new JsonArray("facebook.com", "instagram.com", "twitter.com", "tiktok.com", "snapchat.com") });
        var changed = await Feed(provider, school, ifNoneMatch: etag);

        unchanged.StatusCode.Should().Be(HttpStatusCode.NotModified);
        otherType.StatusCode.Should().Be(HttpStatusCode.OK, "the CSV is other bytes with its own ETag");
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await changed.Content.ReadAsStringAsync()).Should().Contain("snapchat.com\n");
    }

    [Fact]
    public async Task The_feed_of_another_trusts_school_or_another_school_is_a_404()
    {
        var (trust, school, other, provider) = await NewTrustAsync();
        using var _ = provider;
        using var otherTrust = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustB));
        using var otherHead = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, other));

        (await Feed(otherTrust, school)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Feed(otherHead, school)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Feed(provider, other)).StatusCode.Should().Be(HttpStatusCode.NotFound, "the provider's key is for one school");
    }

    [Fact]
    public async Task An_unknown_list_is_refused_naming_list()
    {
        var (_, school, _, provider) = await NewTrustAsync();
        using var _ = provider;

        var response = await Feed(provider, school, "application/json", "?list=everything");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("list");
    }
}
