using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Trust.Platform.Policy;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Gateway.Tests;

/// <summary>
/// The development conveniences (the token minter, error details) never serve a caller the demo did not
/// mean: nobody through the gateway, nobody remote, never beside a real identity provider.
/// </summary>
public sealed class DevelopmentModeTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string MintOperator = """{"subject": "attacker", "name": "Attacker", "trustId": null, "roles": ["platform_operator"]}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_development_token_minter_is_never_reachable_through_the_gateway()
    {
        using var client = fixture.Gateway.CreateClient();
        foreach (var path in new[] { "/policy/dev/tokens", "/policy/DEV/tokens", "/policy/Dev/Tokens/", "/policy/%64ev/tokens", "/accounts/dev/tokens", "/training/dev" })
        {
            var response = await client.PostAsync(path, Json(MintOperator));
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", path);
            (await response.Content.ReadAsStringAsync()).Should().NotContain("accessToken", path);
        }
    }

    [Fact]
    public async Task The_minter_answers_a_loopback_caller_that_no_proxy_forwarded()
    {
        using var direct = fixture.Policy.CreateClient();
        var response = await direct.PostAsync("/dev/tokens", Json(MintOperator));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("accessToken");
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    [InlineData("Via", "1.1 proxy.example")]
    [InlineData("X-Forwarded-Host", "trust.example")]
    public async Task The_minter_refuses_a_loopback_connection_that_a_proxy_forwarded(string header, string value)
    {
        using var direct = fixture.Policy.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev/tokens") { Content = Json(MintOperator) };
        request.Headers.TryAddWithoutValidation(header, value);
        var response = await direct.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("accessToken");
    }

    [Fact]
    public async Task The_minter_refuses_a_remote_caller()
    {
        await using var policy = new ServiceFactory<PolicyService>(fixture.Servers)
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse("203.0.113.7")))));
        using var client = policy.CreateClient();
        var response = await client.PostAsync("/dev/tokens", Json(MintOperator));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("accessToken");
    }

    [Fact]
    public void A_service_with_an_identity_provider_refuses_to_start_with_development_tokens_enabled()
    {
        using var policy = new ServiceFactory<PolicyService>(fixture.Servers, new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "https://login.trust.example",
            ["Auth:EnableDevTokens"] = "true",
        });
        var start = () => policy.CreateClient();
        start.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Auth:Authority").And.Contain("Auth:EnableDevTokens");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    [InlineData("text/plain")]
    public async Task An_unexpected_error_in_a_service_answers_a_problem_without_a_stack_trace(string accept)
    {
        await using var policy = new ServiceFactory<PolicyService>(fixture.Servers)
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new ThrowingEndpoint())));
        await ShouldHideTheErrorAsync(policy.CreateClient(), accept);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    [InlineData("text/plain")]
    public async Task An_unexpected_error_in_the_gateway_answers_a_problem_without_a_stack_trace(string accept)
    {
        await using var gateway = fixture.Gateway.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new ThrowingEndpoint())));
        await ShouldHideTheErrorAsync(gateway.CreateClient(), accept);
    }

    private static async Task ShouldHideTheErrorAsync(HttpClient client, string accept)
    {
        using (client)
        {
            client.DefaultRequestHeaders.Accept.ParseAdd(accept);
            var response = await client.GetAsync(ThrowingEndpoint.Path);
            var body = await response.Content.ReadAsStringAsync();
            body.Should().NotContain(ThrowingEndpoint.Secret).And.NotContain(nameof(InvalidOperationException))
                .And.NotContain(" at ").And.NotContain(".cs:line");
            response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, body);
            (response.Content.Headers.ContentType?.MediaType).Should().Be("application/problem+json", body);
        }
    }

    /// <summary>Makes the connection look as if it came from another machine (the test host has no network peer).</summary>
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>A path no endpoint serves that fails inside the application's pipeline, after its error handling is in place.</summary>
    private sealed class ThrowingEndpoint : IStartupFilter
    {
        public const string Path = "/__test/explode";
        public const string Secret = "internal detail 7f3a9c";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == Path
                ? throw new InvalidOperationException(Secret)
                : Task.CompletedTask);
        };
    }
}
