using System.Text.Json.Nodes;

namespace Trust.Platform.Gateway.Tests;

public sealed class OpenProxyFixture : IAsyncLifetime
{
    public ListeningGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Gateway = await ListeningGateway.StartAsync(new Dictionary<string, string?> { ["Limits:PermitsPerMinute"] = "100000" });

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>The gateway forwards only to its own fixed destinations, on the caller's path below the prefix, and nothing else.</summary>
public sealed class OpenProxyTests(OpenProxyFixture fixture) : IClassFixture<OpenProxyFixture>
{
    private ListeningGateway Gateway => fixture.Gateway;

    private static string? Reason(RawResponse response) => JsonNode.Parse(response.Body)?["reason"]?.GetValue<string>();

    private async Task<RawResponse> RefusedAsync(string target, string reason, string? hostHeader = null)
    {
        Gateway.ClearRecords();
        var response = await RawHttp.SendAsync(Gateway.Address, "GET", target, [("Authorization", "Bearer secret"), ("X-Api-Key", "tpk_secret")], hostHeader: hostHeader);
        Gateway.All.Where(l => l.Received.Count > 0).Select(l => l.Name).Should().BeEmpty($"{target} must reach no listener");
        response.Status.Should().Be(400, target);
        response.Header("content-type").Should().StartWith("application/problem+json");
        Reason(response).Should().Be(reason, target);
        return response;
    }

    [Fact]
    public async Task A_path_that_names_another_host_is_refused_and_reaches_no_listener()
    {
        var response = await RefusedAsync($"/policy//{Gateway.Canary.Address.Authority}/health/ready", "empty_segment");
        JsonNode.Parse(response.Body)!["detail"]!.GetValue<string>().Should().Contain("empty segment");
    }

    [Fact]
    public async Task A_path_that_climbs_into_another_service_is_refused()
    {
        var response = await RefusedAsync("/policy/../incidents/v1/cases/overdue", "dot_segment");
        JsonNode.Parse(response.Body)!["instance"]!.GetValue<string>().Should().Be("/policy/../incidents/v1/cases/overdue", "the problem names the path as it was sent");
        await RefusedAsync("/policy/%2e%2E/incidents/v1/cases/overdue", "dot_segment");
        await RefusedAsync("/policy/./v1/schools", "dot_segment");
    }

    [Fact]
    public async Task Encoded_slashes_and_backslashes_are_refused_however_often_they_are_encoded()
    {
        await RefusedAsync("/policy/%2F%2F127.0.0.1/x", "encoded_separator");
        await RefusedAsync("/policy/v1%2fschools", "encoded_separator");
        await RefusedAsync("/policy/%252F%252F127.0.0.1/x", "encoded_separator");
        await RefusedAsync("/policy/v1%5Cschools", "encoded_separator");
        await RefusedAsync("/policy/v1%255Cschools", "encoded_separator");
        await RefusedAsync("/policy/v1\\schools", "backslash");
    }

    [Fact]
    public async Task A_scheme_in_the_path_is_refused()
    {
        await RefusedAsync($"/policy/http:/{Gateway.Canary.Address.Authority}/x", "scheme");
        await RefusedAsync("/policy/https%3A/evil.example/x", "scheme");
        await RefusedAsync("/policy/javascript:alert(1)", "scheme");
    }

    [Fact]
    public async Task An_absolute_form_request_target_is_refused()
    {
        // Kestrel itself refuses an absolute form whose authority differs from Host; with both naming the canary it accepts it.
        await RefusedAsync($"http://{Gateway.Canary.Address.Authority}/policy/v1/schools", "not_origin_form", hostHeader: Gateway.Canary.Address.Authority);
    }

    [Fact]
    public async Task A_documented_route_still_arrives_at_its_service_below_the_prefix_with_its_query()
    {
        Gateway.ClearRecords();
        var response = await Gateway.SendAsync("GET", "/training/v1/schools/0193f1a0-0000-7000-8000-000000000003/people?updated_after=2026-01-01T00%3A00%3A00Z&limit=5");
        response.Status.Should().Be(200);
        Gateway.Services["training"].Received.Single().RawTarget.Should().Be("/v1/schools/0193f1a0-0000-7000-8000-000000000003/people?updated_after=2026-01-01T00%3A00%3A00Z&limit=5");
        Gateway.All.Where(l => l.Received.Count > 0).Select(l => l.Name).Should().Equal("training");
    }

    [Fact]
    public async Task Client_forwarding_headers_are_replaced_by_the_gateways_own()
    {
        Gateway.ClearRecords();
        var response = await Gateway.SendAsync("GET", "/policy/v1/schools",
        [
            ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Prefix", "/evil"), ("X-Forwarded-Port", "443"), ("X-Forwarded-Server", "evil.example"),
            ("Forwarded", "for=203.0.113.9;host=evil.example;proto=https"), ("X-Real-IP", "203.0.113.9"), ("X-Original-For", "203.0.113.9"),
        ]);
        response.Status.Should().Be(200);
        var headers = Gateway.Services["policy"].Received.Single().Headers;
        headers["X-Forwarded-For"].Should().Be("127.0.0.1");
        headers["X-Forwarded-Host"].Should().Be(Gateway.Address.Authority);
        headers["X-Forwarded-Proto"].Should().Be("http");
        headers["X-Forwarded-Prefix"].Should().Be("/policy");
        headers["Forwarded"].Should().Contain("for=127.0.0.1").And.Contain($"host=\"{Gateway.Address.Authority}\"").And.Contain("proto=http")
            .And.NotContain("203.0.113.9").And.NotContain("evil");
        headers.Keys.Should().NotContain(["X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP", "X-Original-For"]);
        string.Join('\n', headers.Values).Should().NotContain("203.0.113.9").And.NotContain("evil");
    }

    [Fact]
    public async Task Headers_named_in_connection_and_hop_by_hop_headers_are_not_forwarded_either_way()
    {
        Gateway.ClearRecords();
        Gateway.Services["policy"].ResponseHeaders["Connection"] = "X-Service-Hop";
        Gateway.Services["policy"].ResponseHeaders["X-Service-Hop"] = "internal";
        try
        {
            // A keep-alive request: Kestrel reports only "close" when a Connection header also says close.
            using var client = new HttpClient { BaseAddress = Gateway.Address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/policy/v1/schools");
            request.Headers.Connection.Add("X-Client-Hop");
            request.Headers.Connection.Add("x-other-hop");
            request.Headers.Add("X-Client-Hop", "secret");
            request.Headers.Add("X-Other-Hop", "secret");
            request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
            request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
            request.Headers.Add("X-End-To-End", "kept");
            using var response = await client.SendAsync(request);

            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            response.Headers.Contains("X-Service-Hop").Should().BeFalse("the service named it in its Connection header");
            var headers = Gateway.Services["policy"].Received.Single().Headers;
            headers.Keys.Should().NotContain(["X-Client-Hop", "X-Other-Hop", "Keep-Alive", "Proxy-Authorization"]);
            headers["X-End-To-End"].Should().Be("kept");
        }
        finally
        {
            Gateway.Services["policy"].ResponseHeaders.Clear();
        }
    }

    [Fact]
    public async Task Every_gateway_answer_carries_nosniff()
    {
        foreach (var target in new[] { "/policy/v1/schools", "/policy//x", "/health/live", "/nowhere", "/policy/dev/tokens" })
        {
            (await Gateway.SendAsync("GET", target)).Header("X-Content-Type-Options").Should().Be("nosniff", target);
        }
    }
}

/// <summary>Limits the gateway applies itself, before any service sees the request.</summary>
public sealed class GatewayLimitTests
{
    [Fact]
    public async Task A_declared_body_over_the_limit_is_refused_with_413_before_any_service_sees_it()
    {
        await using var gateway = await ListeningGateway.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "1024" });
        var response = await gateway.SendAsync("POST", "/training/v1/courses", [("Content-Type", "application/json")], new byte[2048]);
        response.Status.Should().Be(413);
        response.Header("content-type").Should().StartWith("application/problem+json");
        gateway.All.Where(l => l.Received.Count > 0).Should().BeEmpty();
        (await gateway.SendAsync("POST", "/training/v1/courses", [("Content-Type", "application/json")], new byte[1024])).Status.Should().Be(200);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_413()
    {
        await using var gateway = await ListeningGateway.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "1024" });
        var response = await RawHttp.SendAsync(gateway.Address, "POST", "/training/v1/courses", [("Content-Type", "application/json")], new byte[64 * 1024], chunked: true);
        response.Status.Should().Be(413);
        response.Header("content-type").Should().StartWith("application/problem+json");
    }

    [Fact]
    public async Task Request_headers_over_the_limit_are_refused_with_431()
    {
        await using var gateway = await ListeningGateway.StartAsync();
        var response = await gateway.SendAsync("GET", "/policy/v1/schools", [("X-Padding", new string('a', 20 * 1024))]);
        response.Status.Should().Be(431);
        gateway.All.Where(l => l.Received.Count > 0).Should().BeEmpty();
    }

    [Fact]
    public async Task A_service_slower_than_the_request_timeout_is_a_504_problem()
    {
        await using var gateway = await ListeningGateway.StartAsync(new Dictionary<string, string?> { ["Limits:RequestTimeout"] = "00:00:01" });
        gateway.Services["incidents"].Delay = TimeSpan.FromSeconds(10);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await gateway.SendAsync("GET", "/incidents/v1/cases/overdue");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        response.Status.Should().Be(504);
        response.Header("content-type").Should().StartWith("application/problem+json");
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_a_429_problem_with_retry_after()
    {
        await using var gateway = await ListeningGateway.StartAsync(new Dictionary<string, string?> { ["Limits:PermitsPerMinute"] = "5" });
        var statuses = new List<int>();
        RawResponse last = null!;
        for (var i = 0; i < 8; i++)
        {
            last = await gateway.SendAsync("GET", "/policy/v1/schools");
            statuses.Add(last.Status);
        }

        statuses.Take(5).Should().AllBeEquivalentTo(200);
        statuses.Skip(5).Should().AllBeEquivalentTo(429);
        last.Header("content-type").Should().StartWith("application/problem+json");
        int.Parse(last.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        gateway.Services["policy"].Received.Should().HaveCount(5);
    }
}
