using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Trust.Platform.Policy.Tests;

/// <summary>Bad input gets a 4xx problem+json naming the field, never a 500, and stores nothing.</summary>
[Collection(PolicyCollection.Name)]
public sealed class BadInputTests(PolicyFixture fixture)
{
    private async Task<(HttpStatusCode Status, HttpValidationProblem? Problem, string MediaType)> PostRawAsync(string json)
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.PostAsync("/v1/schools", new StringContent(json, Encoding.UTF8, "application/json"));
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var problem = mediaType == "application/problem+json" ? await response.Content.ReadFromJsonAsync<HttpValidationProblem>() : null;
        return (response.StatusCode, problem, mediaType);
    }

    [Theory]
    [InlineData("""{"name": "Broken", "urn": "300001", """, "body")]
    [InlineData("""{"name": "Sneaky", "urn": "300002", "phase": "primary", "trustId": "6a1f8f36-5b53-4a44-a1ae-5d0f0d7cb6ad"}""", "trustId")]
    [InlineData("""{"name": "Sneaky", "urn": "300003", "phase": "primary", "version": 7}""", "version")]
    [InlineData("""{"name": "Typed", "urn": 300004, "phase": "primary"}""", "urn")]
    [InlineData("""{"name": "Phased", "urn": "300005", "phase": "castle"}""", "phase")]
    [InlineData("""{"name": null, "urn": "300006", "phase": "primary"}""", "name")]
    [InlineData("""{"urn": "300007", "phase": "primary"}""", "name")]
    public async Task Bad_json_is_a_400_problem_naming_the_field(string json, string field)
    {
        var (status, problem, mediaType) = await PostRawAsync(json);
        status.Should().Be(HttpStatusCode.BadRequest);
        mediaType.Should().Be("application/problem+json");
        problem!.Errors.Should().ContainKey(field);
    }

    [Fact]
    public async Task An_oversize_body_is_a_413_problem()
    {
        var json = "{\"name\": \"" + new string('x', 2 * 1024 * 1024) + "\", \"urn\": \"300010\", \"phase\": \"primary\"}";
        var (status, _, mediaType) = await PostRawAsync(json);
        status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        mediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var response = await client.PostAsync("/v1/schools", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Refused_input_stores_nothing()
    {
        await PostRawAsync("""{"name": "Never stored", "urn": "300020", "phase": "primary", "trustId": "6a1f8f36-5b53-4a44-a1ae-5d0f0d7cb6ad"}""");
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var page = await client.GetFromJsonAsync<Trust.Platform.Hosting.Http.Page<Features.Schools.SchoolResponse>>("/v1/schools?limit=200", Json.Options);
        page!.Items.Should().NotContain(s => s.Urn == "300020");
    }

    [Fact]
    public async Task A_malformed_route_id_is_a_404_not_a_500()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        (await client.GetAsync("/v1/schools/not-a-guid")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
