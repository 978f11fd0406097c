using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Trust.Platform.Gateway.Tests;

public sealed class RouteWalkFixture : IAsyncLifetime
{
    public ListeningGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() =>
        // Thousands of requests from one address: the per-client limit is tested on its own elsewhere.
        Gateway = await ListeningGateway.StartAsync(new Dictionary<string, string?> { ["Limits:PermitsPerMinute"] = "1000000" });

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// Every route of every committed OpenAPI document, sent through the gateway as written and in forms that try
/// to change the host, the scheme or the service. Real listeners stand for the four services and for any
/// other host on the machine (the canary); they prove where each request really arrived.
/// </summary>
public sealed partial class RouteWalkTests(RouteWalkFixture fixture) : IClassFixture<RouteWalkFixture>
{
    private const string Credentials = "Bearer walk-secret-token";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    private static string Repository([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    /// <summary>(service, concrete path, methods) for every path of openapi/*.json, parameters filled with ids.</summary>
    public static IReadOnlyList<(string Service, string Path, string[] Methods)> Routes()
    {
        var routes = new List<(string, string, string[])>();
        foreach (var file in Directory.GetFiles(Path.Combine(Repository(), "openapi"), "*.json").Order(StringComparer.Ordinal))
        {
            var service = Path.GetFileNameWithoutExtension(file);
            var document = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var (template, operations) in document["paths"]!.AsObject())
            {
                var path = Parameter().Replace(template, _ => Guid.CreateVersion7().ToString());
                var methods = operations!.AsObject().Select(o => o.Key.ToUpperInvariant())
                    .Where(m => m is "GET" or "POST" or "PUT" or "DELETE" or "PATCH").ToArray();
                routes.Add((service, path, methods));
            }
        }

        return routes;
    }

    /// <summary>Request targets that try to leave <paramref name="service"/>'s route for another host, scheme or service.</summary>
    public static IEnumerable<(string Target, string? Host)> Escapes(string service, string path, string canary, IEnumerable<string> others)
    {
        var canaryPort = canary.Split(':')[1];
        foreach (var host in new[] { canary, $"localhost:{canaryPort}", "evil.example" })
        {
            yield return ($"/{service}//{host}{path}", null);
            yield return ($"/{service}/%2F%2F{host}{path}", null);
            yield return ($"/{service}/%2f%2f{host}{path}", null);
            yield return ($"/{service}/%252F%252F{host}{path}", null);
            yield return ($"/{service}/%25252F%25252F{host}{path}", null);
            yield return ($"/{service}/%5C%5C{host}{path}", null);
            yield return ($"/{service}/%255C%255C{host}{path}", null);
            yield return ($"/{service}\\\\{host}{path}", null);
            yield return ($"/{service}/http:/{host}{path}", null);
            yield return ($"/{service}/http://{host}{path}", null);
            yield return ($"/{service}/https:%2F%2F{host}{path}", null);
            yield return ($"/{service}/http%3A%2F%2F{host}{path}", null);
            yield return ($"/{service}/HTTP%3A/{host}{path}", null);
            // The absolute form (RFC 9112 section 3.2.2), with a Host that agrees with it so Kestrel accepts it.
            yield return ($"http://{host}/{service}{path}", host);
            yield return ($"http://{host}{path}", host);
        }

        foreach (var other in others)
        {
            yield return ($"/{service}/../{other}{path}", null);
            yield return ($"/{service}/./../{other}{path}", null);
            yield return ($"/{service}/%2E%2E/{other}{path}", null);
            yield return ($"/{service}/.%2e/{other}{path}", null);
            yield return ($"/{service}/%252E%252E/{other}{path}", null);
            yield return ($"/{service}/..%2F{other}{path}", null);
            yield return ($"/{service}/..%5C{other}{path}", null);
            yield return ($"/{service}/..\\{other}{path}", null);
            yield return ($"/{service}{path}/../../../../{other}{path}", null);
            yield return ($"/{service}{path}/..%2F..%2F..%2F..%2F{other}{path}", null);
        }
    }

    [Fact]
    public void The_walk_covers_every_committed_api_document()
    {
        Routes().Select(r => r.Service).Distinct().Should().BeEquivalentTo(GatewayService.Services);
        Routes().Should().HaveCountGreaterThan(50);
    }

    [Fact]
    public async Task Every_documented_route_reaches_its_own_service_with_its_own_path()
    {
        var gateway = fixture.Gateway;
        var failures = new List<string>();
        foreach (var (service, path, methods) in Routes())
        {
            foreach (var method in methods)
            {
                gateway.ClearRecords();
                var target = $"/{service}{path}?limit=5";
                var response = await gateway.SendAsync(method, target, [("Authorization", Credentials)], method is "GET" or "DELETE" ? null : "{}"u8.ToArray());
                var reached = gateway.All.Where(l => l.Received.Count > 0).ToList();
                var arrived = gateway.Services[service].Received.SingleOrDefault();
                if (response.Status != 200 || reached.Count != 1 || arrived is null || arrived.RawTarget != path + "?limit=5" ||
                    arrived.Headers["Authorization"] != Credentials || arrived.Headers["Host"] != gateway.Services[service].Address.Authority)
                {
                    failures.Add($"{method} {target} -> {response} (reached {string.Join(", ", reached.Select(l => l.Name + " " + string.Join(" ", l.Received.Select(r => r.RawTarget))))})");
                }
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task No_variant_of_any_documented_route_reaches_another_service_or_host()
    {
        var gateway = fixture.Gateway;
        var canary = gateway.Canary.Address.Authority;
        var failures = new List<string>();
        var sent = 0;
        foreach (var (service, path, methods) in Routes())
        {
            var others = GatewayService.Services.Where(s => s != service).ToList();
            foreach (var (target, host) in Escapes(service, path, canary, others))
            {
                gateway.ClearRecords();
                var response = await RawHttp.SendAsync(gateway.Address, methods[0], target, [("Authorization", Credentials), ("X-Api-Key", "tpk_walk-secret")], hostHeader: host);
                sent++;
                var reached = gateway.All.Where(l => l.Received.Count > 0).ToList();
                // Refused outright: nothing may arrive anywhere, not even at the route's own service.
                if (response.Status is not (400 or 404) || reached.Count > 0)
                {
                    failures.Add($"{target} -> {response} (reached {string.Join(", ", reached.Select(l => l.Name + " " + string.Join(" ", l.Received.Select(r => r.RawTarget))))})");
                }
            }
        }

        sent.Should().BeGreaterThan(1000);
        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task A_host_header_naming_another_host_still_reaches_only_the_routes_service()
    {
        var gateway = fixture.Gateway;
        var failures = new List<string>();
        foreach (var (service, path, methods) in Routes())
        {
            gateway.ClearRecords();
            var response = await RawHttp.SendAsync(gateway.Address, methods[0], $"/{service}{path}", hostHeader: gateway.Canary.Address.Authority);
            var reached = gateway.All.Where(l => l.Received.Count > 0).Select(l => l.Name).ToList();
            if (response.Status != 200 || reached.SequenceEqual([service]) is false ||
                gateway.Services[service].Received.Single().Headers["Host"] != gateway.Services[service].Address.Authority)
            {
                failures.Add($"{service}{path} -> {response} (reached {string.Join(", ", reached)})");
            }
        }

        failures.Should().BeEmpty();
    }
}
