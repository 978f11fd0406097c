using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

public sealed class SessionIdempotencyTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static object Session(string topic) =>
        new { audience = "pupils", topic, heldOn = TestClock.Day(TestClock.Today), deliveredBy = "Computing Lead", yearGroup = "Year 5" };

    [Fact]
    public async Task A_session_retried_with_the_same_idempotency_key_returns_the_first_and_records_no_second()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var key = Guid.NewGuid().ToString();

        var first = await PostWithKeyAsync(client, school, key, Session("A SMART approach to social media"));
        var retry = await PostWithKeyAsync(client, school, key, Session("A SMART approach to social media"));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()
            .Should().Be((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        (await host.ScalarAsync("SELECT count(*) FROM training.cohort_sessions WHERE school_id = $1", school)).Should().Be(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_session_is_refused_and_records_nothing()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var key = Guid.NewGuid().ToString();
        (await PostWithKeyAsync(client, school, key, Session("Keeping safe online"))).StatusCode.Should().Be(HttpStatusCode.Created);

        var reused = await PostWithKeyAsync(client, school, key, Session("Another topic"));

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).Should().BeTrue();
        (await host.ScalarAsync("SELECT count(*) FROM training.cohort_sessions WHERE school_id = $1", school)).Should().Be(1);
        (await host.ScalarAsync("SELECT count(*) FROM training.cohort_sessions WHERE school_id = $1 AND topic = 'Another topic'", school)).Should().Be(0);
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, Guid school, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/schools/{school}/sessions") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
