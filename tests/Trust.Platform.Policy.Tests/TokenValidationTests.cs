using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>What a bearer token may carry: only trust-wide roles without a school, no API-key claims, one algorithm, a JWT type.</summary>
[Collection(PolicyCollection.Name)]
public sealed class TokenValidationTests(PolicyFixture fixture)
{
    private string EffectivePolicyOfA1 => $"/v1/schools/{fixture.SchoolA1}/policy/effective";

    private async Task<HttpStatusCode> StatusAsync(string token, string path)
    {
        using var client = fixture.Policy.ClientWithToken(token);
        return (await client.GetAsync(path)).StatusCode;
    }

    [Theory]
    [InlineData(Roles.Dsl)]
    [InlineData(Roles.Headteacher)]
    [InlineData(Roles.Staff)]
    public async Task A_token_with_a_school_role_that_names_no_school_is_refused_with_401(string role)
    {
        var token = TestTokens.Sign(fixture.Policy, TestTokens.User(fixture.TrustA, role));
        using var client = fixture.Policy.ClientWithToken(token);
        var response = await client.GetAsync(EffectivePolicyOfA1);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("invalid_token").And.Contain(role);
    }

    [Theory]
    [InlineData(Roles.TrustAdmin)]
    [InlineData(Roles.Chair)]
    public async Task A_trust_wide_role_needs_no_school(string role) =>
        (await StatusAsync(TestTokens.Sign(fixture.Policy, TestTokens.User(fixture.TrustA, role)), EffectivePolicyOfA1)).Should().Be(HttpStatusCode.OK);

    [Fact]
    public async Task A_school_role_that_names_its_school_still_works() =>
        (await StatusAsync(TestTokens.Sign(fixture.Policy, TestTokens.User(fixture.TrustA, $"{Roles.Dsl}:{fixture.SchoolA1}")), EffectivePolicyOfA1))
            .Should().Be(HttpStatusCode.OK);

    [Fact]
    public async Task A_signed_token_carrying_api_key_claims_does_not_become_an_api_key()
    {
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = "apikey:forged",
            [PlatformClaims.Trust] = fixture.TrustA.ToString(),
            [PlatformClaims.KeyId] = Guid.NewGuid().ToString(),
            [PlatformClaims.Scope] = new[] { Scopes.DirectoryRead, Scopes.PolicyRead },
        };
        var token = TestTokens.Sign(fixture.Policy, claims);
        (await StatusAsync(token, "/v1/schools")).Should().Be(HttpStatusCode.Unauthorized);
        (await StatusAsync(token, "/v1/policy/deviations")).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_development_minter_refuses_a_school_role_without_a_school()
    {
        using var client = fixture.Policy.ClientFor(null);
        var response = await client.PostAsJsonAsync("/dev/tokens", new { subject = "x", name = "x", trustId = fixture.TrustA, roles = new[] { Roles.Dsl } });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("roles");
        problem["errors"]!["roles"]![0]!.GetValue<string>().Should().Contain("dsl");
    }

    [Fact]
    public async Task The_development_minter_refuses_the_platform_services_role()
    {
        using var client = fixture.Policy.ClientFor(null);
        var response = await client.PostAsJsonAsync("/dev/tokens", new { subject = "x", name = "x", trustId = (Guid?)null, roles = new[] { Roles.PlatformService } });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).Should().Equal("roles");
    }

    [Fact]
    public async Task The_development_minter_still_mints_school_and_trust_wide_roles()
    {
        using var client = fixture.Policy.ClientFor(null);
        var response = await client.PostAsJsonAsync("/dev/tokens",
            new { subject = "x", name = "x", trustId = fixture.TrustA, roles = new[] { Roles.Chair, $"{Roles.Dsl}:{fixture.SchoolA1}" } });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused() =>
        (await StatusAsync(TestTokens.Unsigned(fixture.Policy, TestTokens.User(fixture.TrustA, Roles.TrustAdmin)), EffectivePolicyOfA1))
            .Should().Be(HttpStatusCode.Unauthorized);

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    public async Task A_token_signed_with_the_right_key_but_another_algorithm_is_refused(string algorithm) =>
        (await StatusAsync(TestTokens.Sign(fixture.Policy, TestTokens.User(fixture.TrustA, Roles.TrustAdmin), algorithm), EffectivePolicyOfA1))
            .Should().Be(HttpStatusCode.Unauthorized);

    [Theory]
    [InlineData("logout+jwt")]
    [InlineData("secevent+jwt")]
    public async Task A_token_of_another_type_is_refused(string type) =>
        (await StatusAsync(TestTokens.Sign(fixture.Policy, TestTokens.User(fixture.TrustA, Roles.TrustAdmin), type: type), EffectivePolicyOfA1))
            .Should().Be(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task An_access_token_typed_at_jwt_is_accepted() =>
        (await StatusAsync(TestTokens.Sign(fixture.Policy, TestTokens.User(fixture.TrustA, Roles.TrustAdmin), type: "at+jwt"), EffectivePolicyOfA1))
            .Should().Be(HttpStatusCode.OK);
}
