using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Trust.Platform.Gateway;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Gateway.Tests;

/// <summary>Policy on a real Kestrel port behind the gateway; the gateway forwards, the service decides.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public WebApplicationFactory<GatewayService> Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync("gateway");
        Policy = new ServiceFactory<PolicyService>(Servers);
        Policy.UseKestrel(0);
        Policy.StartServer();
        using var direct = Policy.CreateClient();
        var address = direct.BaseAddress!.ToString().TrimEnd('/');
        Gateway = new GatewayFactory(address);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Policy.DisposeAsync();
        await Servers.DisposeAsync();
    }

    private sealed class GatewayFactory(string policy) : WebApplicationFactory<GatewayService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Services:policy", policy);
            // The other services are not running in this test; their routes answer 502.
            builder.UseSetting("Services:accounts", "http://127.0.0.1:9");
            builder.UseSetting("Services:incidents", "http://127.0.0.1:9");
            builder.UseSetting("Services:training", "http://127.0.0.1:9");
        }
    }
}

public sealed class GatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private HttpClient Through(DevUser? user)
    {
        var client = fixture.Gateway.CreateClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Policy.Token(user));
        }

        return client;
    }

    [Fact]
    public async Task A_request_through_the_gateway_is_authorised_by_the_service_itself()
    {
        using var operatorClient = Through(new DevUser("op", "Operator", null, [Roles.PlatformOperator]));
        var created = await operatorClient.PostAsJsonAsync("/policy/v1/trusts", new { name = "Gateway Trust", firstAdmin = new { displayName = "Admin", email = "admin@gateway.example" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var trust = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        using var admin = Through(new DevUser("admin", "Admin", trust, [Roles.TrustAdmin]));
        (await admin.GetAsync("/policy/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var anonymous = Through(null);
        var refused = await anonymous.GetAsync("/policy/v1/schools");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var otherTrust = Through(new DevUser("admin2", "Admin", Guid.NewGuid(), [Roles.TrustAdmin]));
        (await otherTrust.GetAsync($"/policy/v1/trusts/{trust}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bodies_and_problem_details_pass_through_unchanged()
    {
        using var admin = Through(new DevUser("admin", "Admin", Guid.NewGuid(), [Roles.TrustAdmin]));
        var response = await admin.PostAsync("/policy/v1/schools", new StringContent("""{"name": "x", "urn": "1", "phase": "primary", "trustId": "x"}""", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("trustId");
    }

    [Fact]
    public async Task The_trace_of_a_request_continues_from_the_gateway_into_the_service()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var servers = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    servers.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var client = Through(null);
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        await client.GetAsync("/policy/health/live");
        var seen = await Eventually.Until(() => Task.FromResult(servers.Count), n => n >= 2, because: "the gateway's and the service's server activities share the trace");
        seen.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_service_that_is_down_is_a_502_problem()
    {
        using var client = Through(null);
        var response = await client.GetAsync("/training/health/live");
        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task The_gateway_serves_each_services_api_reference_and_a_browsable_ui()
    {
        using var client = Through(null);
        var document = await client.GetFromJsonAsync<JsonObject>("/openapi/policy.json");
        document!["servers"]![0]!["url"]!.GetValue<string>().Should().Be("/policy");
        document["paths"]!.AsObject().Should().ContainKey("/v1/schools/{schoolId}");
        var ui = await client.GetAsync("/docs");
        ui.StatusCode.Should().Be(HttpStatusCode.OK);
        var page = await ui.Content.ReadAsStringAsync();
        foreach (var service in new[] { "policy", "accounts", "incidents", "training" })
        {
            // Scalar resolves a document's path against the application root, not against /docs.
            page.Should().Contain($"\"url\":\"openapi/{service}.json\"");
        }

        page.Should().Contain("\"preferredSecurityScheme\":[\"bearer\"]", "the authorise step starts from the documents' bearer scheme");
        var script = await client.GetAsync("/docs/scalar.js");
        script.StatusCode.Should().Be(HttpStatusCode.OK, "the reference's script is served by the gateway itself, not a CDN");
        (await client.GetAsync("/openapi/nope.json")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
