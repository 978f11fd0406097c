using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.ApiKeys.Create;
using Trust.Platform.Policy.Features.Schools;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Integration.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class CrossServiceTests(IntegrationFixture fixture)
{
    private async Task<Guid> CreateSchoolAsync(HttpClient client, string name)
    {
        var urn = Random.Shared.Next(400_000, 499_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await client.PostAsJsonAsync("/v1/schools", new { name, urn, phase = "primary" });
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<SchoolResponse>(JsonOptions.Web))!.Id;
    }

    private async Task<bool> AccountsKnowsAsync(Guid schoolId)
    {
        await using var command = fixture.OwnerData.CreateCommand("SELECT count(*) FROM accounts.school_directory WHERE school_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = schoolId });
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    [Fact]
    public async Task A_school_added_in_policy_reaches_accounts_in_the_trace_of_the_request_that_added_it()
    {
        var consumed = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Kind == ActivityKind.Consumer)
                {
                    consumed.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var traceId = ActivityTraceId.CreateRandom();
        using var client = fixture.Policy.ClientFor(fixture.Admin);
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var schoolId = await CreateSchoolAsync(client, "Traced Academy");

        await Eventually.Until(() => AccountsKnowsAsync(schoolId), known => known, because: "Accounts' directory receives SchoolAdded");
        var inTrace = await Eventually.Until(
            () => Task.FromResult(consumed.Where(a => a.TraceId == traceId).ToList()),
            list => list.Count > 0,
            because: "the consumer's activity continues the HTTP request's trace");
        inTrace.Should().Contain(a => a.DisplayName.Contains("school-added", StringComparison.OrdinalIgnoreCase) ||
                                      a.DisplayName.Contains("SchoolAdded", StringComparison.Ordinal) ||
                                      a.DisplayName.Contains("directory-replica", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_api_key_works_on_policy_and_accounts_and_a_revoked_one_fails_on_both_within_five_seconds()
    {
        using var admin = fixture.Policy.ClientFor(fixture.Admin);
        var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "MIS vendor", scopes = new[] { Scopes.DirectoryRead } });
        await Http.EnsureSuccessAsync(created);
        var issued = (await created.Content.ReadFromJsonAsync<CreatedApiKeyResponse>())!;
        using var onPolicy = fixture.Policy.ClientWithKey(issued.Secret!);
        using var onAccounts = fixture.Accounts.ClientWithKey(issued.Secret!);

        (await onPolicy.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);
        await Eventually.Until(async () => (await onAccounts.GetAsync("/v1/schools")).StatusCode, s => s == HttpStatusCode.OK,
            because: "Accounts learns the key from ApiKeyIssued");

        var clock = Stopwatch.StartNew();
        (await admin.DeleteAsync($"/v1/api-keys/{issued.Key.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var both = await Eventually.Until(
            async () => ((await onPolicy.GetAsync("/v1/schools")).StatusCode, (await onAccounts.GetAsync("/v1/schools")).StatusCode),
            s => s == (HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized),
            TimeSpan.FromSeconds(5));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        both.Should().Be((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task Accounts_shows_a_headteacher_only_their_own_school()
    {
        using var admin = fixture.Policy.ClientFor(fixture.Admin);
        var mine = await CreateSchoolAsync(admin, "Mine Primary");
        var theirs = await CreateSchoolAsync(admin, "Theirs Primary");
        await Eventually.Until(() => AccountsKnowsAsync(theirs), known => known);
        await Eventually.Until(() => AccountsKnowsAsync(mine), known => known);

        // Through the API this time: the headteacher's list is filtered to their school.
        using var head = fixture.Accounts.ClientFor(new DevUser("head", "Head", fixture.TrustId, [$"{Roles.Headteacher}:{mine}"]));
        var page = await head.GetFromJsonAsync<Page<SchoolDirectory.DirectorySchoolResponse>>("/v1/schools");
        page!.Items.Select(s => s.Id).Should().Equal(mine);
    }
}

public static class JsonOptions
{
    public static readonly System.Text.Json.JsonSerializerOptions Web = Create();

    private static System.Text.Json.JsonSerializerOptions Create()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
