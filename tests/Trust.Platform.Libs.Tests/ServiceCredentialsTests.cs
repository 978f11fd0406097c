using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Libs.Tests;

/// <summary>A replica's own credential for Policy's key change feed: signed locally, or from an OIDC authority by client credentials.</summary>
public sealed class ServiceCredentialsTests : IAsyncLifetime
{
    private static readonly PlatformServiceInfo Service = new("accounts", "accounts", typeof(ServiceCredentialsTests).Assembly);
    private readonly SettableTime _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly List<(string? Authorization, string Form)> _tokenRequests = [];
    private WebApplication _authority = null!;

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A stand-in authority with the two endpoints the client credentials grant uses: discovery and token.</summary>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        _authority = builder.Build();
        _authority.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string> { ["token_endpoint"] = "https://authority.test/oauth/token" }));
        _authority.MapPost("/oauth/token", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var form = await reader.ReadToEndAsync();
            lock (_tokenRequests)
            {
                _tokenRequests.Add((request.Headers.Authorization.ToString(), form));
                return Results.Json(new Dictionary<string, object> { ["access_token"] = $"token-{_tokenRequests.Count}", ["token_type"] = "Bearer", ["expires_in"] = 3600 });
            }
        });
        await _authority.StartAsync();
    }

    public async Task DisposeAsync() => await _authority.DisposeAsync();

    private ServiceCredentials Credentials(AuthOptions auth)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(ServiceCredentials.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _authority.GetTestServer().CreateHandler());
        var provider = services.BuildServiceProvider();
        return new ServiceCredentials(Options.Create(auth), Service, provider.GetRequiredService<IHttpClientFactory>(), _time);
    }

    [Fact]
    public async Task Locally_a_replica_signs_a_short_platform_service_token_with_the_shared_key()
    {
        var auth = new AuthOptions { SigningKey = new string('k', 40) };
        var token = await Credentials(auth).TokenAsync(CancellationToken.None);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer, ValidAudience = auth.Audience, IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey)),
            ValidAlgorithms = AuthSetup.LocalAlgorithms, ValidTypes = AuthSetup.TokenTypes,
            LifetimeValidator = (_, expires, _, _) => expires - _time.Now <= TimeSpan.FromMinutes(5),
        });
        result.IsValid.Should().BeTrue();
        result.Claims[PlatformClaims.Role].Should().Be(Roles.PlatformService);
        result.Claims[PlatformClaims.Subject].Should().Be("service:accounts");
        result.Claims.Should().NotContainKey(PlatformClaims.Trust);
        PlatformTokenRules.Problem(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity)).Should().BeNull();
    }

    [Fact]
    public async Task With_an_authority_it_uses_the_client_credentials_grant_and_reuses_the_token_until_a_minute_before_expiry()
    {
        var credentials = Credentials(new AuthOptions
        {
            Authority = "https://authority.test", ClientId = "accounts-replica", ClientSecret = "s3cret:with/odd&chars", ClientScope = "trust-platform/keys",
        });

        (await credentials.TokenAsync(CancellationToken.None)).Should().Be("token-1");
        _time.Now += TimeSpan.FromMinutes(58);
        (await credentials.TokenAsync(CancellationToken.None)).Should().Be("token-1");
        _time.Now += TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
        (await credentials.TokenAsync(CancellationToken.None)).Should().Be("token-2");

        _tokenRequests.Should().HaveCount(2);
        var (authorization, form) = _tokenRequests[0];
        form.Should().Contain("grant_type=client_credentials").And.Contain("scope=trust-platform%2Fkeys").And.NotContain("s3cret");
        var basic = Encoding.UTF8.GetString(Convert.FromBase64String(authorization!["Basic ".Length..]));
        basic.Should().Be("accounts-replica:s3cret%3Awith%2Fodd%26chars", "RFC 6749 section 2.3.1 form-encodes the client id and secret");
    }

    [Fact]
    public async Task With_an_authority_but_no_client_it_refuses_to_guess()
    {
        var act = () => Credentials(new AuthOptions { Authority = "https://authority.test" }).TokenAsync(CancellationToken.None);
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Auth:ClientId*");
    }
}
