using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.TestSupport;
using static Trust.Platform.Accounts.Tests.AccountsWorld;

namespace Trust.Platform.Accounts.Tests;

/// <summary>Idempotency-Key on a new application: a retry gets the first answer; the same key with another body creates nothing.</summary>
public sealed class ApplicationIdempotencyTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private readonly AccountsWorld _world = new(host);

    private async Task<(Guid School, HttpClient Applicant, Guid[] Administrators)> SchoolWithStaffAsync()
    {
        var school = await _world.NewSchoolAsync();
        await _world.PublishPolicyAsync(school, 2);
        Guid[] staff = [await _world.JoinAsync(school, "Alex Brown"), await _world.JoinAsync(school, "Sam Patel")];
        var applicant = _world.Client(_world.Staff(school, staff[0]));
        // Without a key: waits until the roster reaches Accounts, so the keyed requests below are decided on the same data.
        await _world.ApplyAsync(applicant, Application(school, staff, "RosterKnown"));
        return (school, applicant, staff);
    }

    private static Task<HttpResponseMessage> ApplyWithKeyAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/applications") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private async Task<int> CountAsync(HttpClient client, Guid school, string platform) =>
        (await client.GetFromJsonAsync<JsonObject>($"/v1/applications?schoolId={school}&platform={platform}&limit=200"))!["items"]!.AsArray().Count;

    [Fact]
    public async Task An_application_retried_with_the_same_idempotency_key_returns_the_first_and_adds_no_second()
    {
        var (school, applicant, staff) = await SchoolWithStaffAsync();
        using var _ = applicant;
        var key = Guid.NewGuid().ToString();
        var body = Application(school, staff, "RetriedComputing");

        var first = await ApplyWithKeyAsync(applicant, key, body);
        var retry = await ApplyWithKeyAsync(applicant, key, body);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        (await retry.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>()
            .Should().Be((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        var all = (await applicant.GetFromJsonAsync<JsonObject>($"/v1/applications?schoolId={school}&limit=200"))!["items"]!.AsArray();
        all.Count(a => a!["handle"]!.GetValue<string>() == "RetriedComputing").Should().Be(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_refused_and_creates_nothing()
    {
        var (school, applicant, staff) = await SchoolWithStaffAsync();
        using var _ = applicant;
        var key = Guid.NewGuid().ToString();
        (await ApplyWithKeyAsync(applicant, key, Application(school, staff, "KeyedComputing"))).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await CountAsync(applicant, school, "instagram");

        var reused = await ApplyWithKeyAsync(applicant, key, Application(school, staff, "OtherComputing"));

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        Keys(await ProblemAsync(reused)).Should().Equal("Idempotency-Key");
        (await CountAsync(applicant, school, "instagram")).Should().Be(before);
    }
}
