using System.Net.Http.Json;
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

    public async Task InitializeAsync()
    {
        _servers = await TestServers.CreateAsync("policy");
        Policy = new ServiceFactory<PolicyService>(Servers);
        using var operatorClient = Policy.ClientFor(Operator);
        TrustA = await CreateTrustAsync(operatorClient, "Trust A");
        TrustB = await CreateTrustAsync(operatorClient, "Trust B");
        SchoolA1 = await CreateSchoolAsync(TrustA, "School A1", "100001");
        SchoolA2 = await CreateSchoolAsync(TrustA, "School A2", "100002");
        SchoolB1 = await CreateSchoolAsync(TrustB, "School B1", "200001");
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
