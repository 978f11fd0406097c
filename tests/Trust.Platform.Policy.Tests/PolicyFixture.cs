using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Features.Schools;
using Trust.Platform.Policy.Features.Trusts;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Tests;

[CollectionDefinition(Name)]
public sealed class PolicyCollection : ICollectionFixture<PolicyFixture>
{
    public const string Name = "policy";
}

/// <summary>
/// The Policy service on real PostgreSQL and RabbitMQ, with two trusts built through the API:
/// trust A with schools A1 and A2, trust B with school B1.
/// </summary>
public sealed class PolicyFixture : IAsyncLifetime
{
    private TestServers? _servers;

    public TestServers Servers => _servers!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public Guid TrustA { get; private set; }

    public Guid TrustB { get; private set; }

    public Guid SchoolA1 { get; private set; }

    public Guid SchoolA2 { get; private set; }

    public Guid SchoolB1 { get; private set; }

    public static readonly DevUser Operator = new("test-operator", "Operator", null, [Roles.PlatformOperator]);

    public DevUser TrustAdmin(Guid trust) => new("admin-" + trust, "Trust admin", trust, [Roles.TrustAdmin]);

    public DevUser InSchool(string role, Guid trust, Guid school) => new($"{role}-{school}", role, trust, [$"{role}:{school}"]);

    /// <summary>A trust configured like the seeds: the 002 baseline, Old Basford (000) and Mellers (003) with their overrides, version 1.0 published.</summary>
    public Guid SeededTrust { get; private set; }

    public Guid OldBasford { get; private set; }

    public Guid Mellers { get; private set; }

    /// <summary>The day (by the run's clock) the seeded trust's dated values were computed for.</summary>
    public DateOnly SeededOn { get; } = TestClock.Today;

    private EventProbe<PolicyPublished>? _published;

    /// <summary>Every PolicyPublished seen on the broker by a consumer of the test's own.</summary>
    public IEnumerable<PolicyPublished> Published => _published!.Received;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.CreateAsync("policy");
        Policy = new ServiceFactory<PolicyService>(Servers);
        _published = await EventProbe<PolicyPublished>.StartAsync(Servers);
        using var operatorClient = Policy.ClientFor(Operator);
        TrustA = await CreateTrustAsync(operatorClient, "Trust A");
        TrustB = await CreateTrustAsync(operatorClient, "Trust B");
        SchoolA1 = await CreateSchoolAsync(TrustA, "School A1", "100001");
        SchoolA2 = await CreateSchoolAsync(TrustA, "School A2", "100002");
        SchoolB1 = await CreateSchoolAsync(TrustB, "School B1", "200001");

        SeededTrust = await CreateTrustAsync(operatorClient, "Seeded Trust");
        OldBasford = await CreateSchoolAsync(SeededTrust, "Old Basford School", "140000");
        Mellers = await CreateSchoolAsync(SeededTrust, "Mellers Primary School", "140003");
        using var admin = Policy.ClientFor(TrustAdmin(SeededTrust));
        foreach (var (key, value) in Demo.DemoPolicy.Baseline(SeededOn))
        {
            await PutAsync(admin, $"/v1/policy/baseline/{key}", new JsonObject { ["value"] = value?.DeepClone() });
        }

        foreach (var (school, name) in new[] { (OldBasford, "Old Basford School"), (Mellers, "Mellers Primary School") })
        {
            using var head = Policy.ClientFor(InSchool(Roles.Headteacher, SeededTrust, school));
            foreach (var (key, value) in Demo.DemoPolicy.Schools(SeededOn)[name])
            {
                await PutAsync(head, $"/v1/schools/{school}/policy/overrides/{key}", new JsonObject { ["value"] = value?.DeepClone() });
            }
        }

        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "First trust-wide policy" });
        await Http.EnsureSuccessAsync(draft);
        var versionId = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/policy/versions/{versionId}/approve",
            new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(SeededOn) }));
        await Http.EnsureSuccessAsync(await admin.PostAsync($"/v1/policy/versions/{versionId}/publish", null));
    }

    /// <summary>
    /// Values for everything the built-in templates print that the catalogue leaves unset (the e-safety team, network
    /// manager, filtering provider and maintainer, owner, next review date; the trust document's chair and marketing
    /// officer), set in the baseline so that every document is complete and a version can be published. Illustrative
    /// test values, not any seed's.
    /// </summary>
    public static async Task CompleteDocumentsAsync(HttpClient admin)
    {
        var values = new Dictionary<string, JsonNode?>
        {
            ["roles.esafety_team"] = new JsonArray(new JsonObject { ["name"] = "E-safety Lead" }),
            ["roles.network_manager"] = new JsonObject { ["name"] = "Network Manager" },
            ["roles.filtering_provider"] = "Filtering Provider",
            ["roles.filtering_maintainer"] = new JsonObject { ["name"] = "Filtering Maintainer" },
            ["roles.chair"] = new JsonObject { ["name"] = "Chair of the Board" },
            ["roles.marketing_officer"] = new JsonObject { ["name"] = "Marketing Officer" },
            ["document.owner"] = "Trust Central Team",
            ["review.next_review_date"] = TestClock.Day(TestClock.Today.AddMonths(6)),
        };
        foreach (var (key, value) in values)
        {
            await PutAsync(admin, $"/v1/policy/baseline/{key}", new JsonObject { ["value"] = value });
        }
    }

    /// <summary>PUT with the current ETag of the resource (read first), as a careful client does.</summary>
    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, string path, JsonObject body, bool ensureSuccess = true)
    {
        var etagPath = path.Contains("/overrides/", StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : "/v1/policy/baseline";
        var read = await client.GetAsync(etagPath);
        await Http.EnsureSuccessAsync(read);
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        var response = await client.SendAsync(request);
        if (ensureSuccess)
        {
            await Http.EnsureSuccessAsync(response);
        }

        return response;
    }

    public static async Task<Guid> CreateTrustAsync(HttpClient operatorClient, string name)
    {
        var response = await operatorClient.PostAsJsonAsync("/v1/trusts", new { name, firstAdmin = new { displayName = "First admin", email = $"admin@{Guid.NewGuid():N}.example" } });
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<CreatedTrustResponse>())!.Id;
    }

    public async Task<Guid> CreateSchoolAsync(Guid trust, string name, string urn)
    {
        using var client = Policy.ClientFor(TrustAdmin(trust));
        var response = await client.PostAsJsonAsync("/v1/schools", new { name, urn, phase = "primary" });
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<SchoolResponse>(Json.Options))!.Id;
    }

    public async Task DisposeAsync()
    {
        if (_published is not null)
        {
            await _published.DisposeAsync();
        }

        await Policy.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

public static class Json
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = CreateOptions();

    private static System.Text.Json.JsonSerializerOptions CreateOptions()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}

/// <summary>A key as its first answer returns it (<c>CreatedApiKeyResponse</c>), with the secret that answer always carries.</summary>
public sealed record IssuedKey(Trust.Platform.Policy.Features.ApiKeys.ApiKeyResponse Key, string Secret);
