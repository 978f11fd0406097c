using System.Net;
using Microsoft.AspNetCore.TestHost;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>Policy on a database of its own, so that every key lookup counted there comes from the test in hand.</summary>
public sealed class KeyFloodFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    /// <summary>Three anonymous requests a minute per client address.</summary>
    public ServiceFactory<PolicyService> Limited { get; private set; } = null!;

    public ServiceFactory<PolicyService> Open { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync("policyflood");
        Open = new ServiceFactory<PolicyService>(Servers);
        _ = Open.Server;
        Limited = new ServiceFactory<PolicyService>(Servers, new Dictionary<string, string?> { ["Limits:AnonymousPermitsPerMinute"] = "3" });
        _ = Limited.Server;
    }

    public async Task DisposeAsync()
    {
        await Limited.DisposeAsync();
        await Open.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

/// <summary>A flood of made-up keys costs the database nothing beyond the anonymous budget of the sender's address.</summary>
public sealed class KeyFloodTests(KeyFloodFixture fixture) : IClassFixture<KeyFloodFixture>
{
    private static string MadeUpKey() => ApiKeySecret.Generate().Key;

    [Fact]
    public async Task Bad_keys_beyond_the_anonymous_limit_are_refused_before_any_key_lookup()
    {
        var statuses = new List<HttpStatusCode>();
        using var lookups = new KeyLookupCounter(fixture.Servers.Database.Name);
        for (var i = 0; i < 10; i++)
        {
            using var client = fixture.Limited.ClientWithKey(MadeUpKey());
            statuses.Add((await client.GetAsync("/v1/schools")).StatusCode);
        }

        statuses.Should().StartWith([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized]);
        statuses.Skip(3).Should().OnlyContain(s => s == HttpStatusCode.TooManyRequests);
        lookups.Count.Should().BeLessThanOrEqualTo(3, "a client over its anonymous budget is refused before its key is looked up");
    }

    /// <summary>One request as TestServer delivers it, from <paramref name="peer"/>, with a made-up key.</summary>
    private async Task<int> SendAsync(IPAddress peer, string? forwardedFor = null)
    {
        var context = await fixture.Limited.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/v1/schools";
            c.Request.Headers[ApiKeySecret.HeaderName] = MadeUpKey();
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }

            c.Connection.RemoteIpAddress = peer;
        });
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task Through_the_gateway_one_clients_flood_does_not_use_up_another_clients_budget()
    {
        // The gateway runs on loopback and appends the client's address to X-Forwarded-For.
        for (var i = 0; i < 3; i++)
        {
            (await SendAsync(IPAddress.Loopback, "192.0.2.1, 203.0.113.10")).Should().Be(401);
        }

        (await SendAsync(IPAddress.Loopback, "203.0.113.10")).Should().Be(429);
        (await SendAsync(IPAddress.Loopback, "203.0.113.11")).Should().Be(401, "another client of the gateway has a budget of its own");
    }

    [Fact]
    public async Task A_caller_that_is_not_a_trusted_proxy_cannot_escape_its_budget_by_naming_other_addresses()
    {
        var caller = IPAddress.Parse("198.51.100.20");
        for (var i = 0; i < 3; i++)
        {
            (await SendAsync(caller, $"203.0.113.{100 + i}")).Should().Be(401);
        }

        (await SendAsync(caller, "203.0.113.200")).Should().Be(429);
    }

    [Fact]
    public async Task An_unknown_key_sent_again_and_again_is_looked_up_once()
    {
        var key = MadeUpKey();
        using var lookups = new KeyLookupCounter(fixture.Servers.Database.Name);
        using var client = fixture.Open.ClientWithKey(key);
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        lookups.Count.Should().Be(1);
    }
}
