using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// Sign-in with a trust's own OpenID Connect provider: its tokens carry a subject and no platform claim; the configured issuer
/// names the trust and the member's appointments name the roles. Whatever platform claims the provider adds are dropped, a
/// token for another application or from an issuer the platform does not know is refused.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class TrustIssuerSignInTests(PolicyFixture fixture) : IAsyncLifetime
{
    private const string Audience = "trust-platform-at-trust-a";
    private TestIdentityProvider _idp = null!;
    private ServiceFactory<PolicyService> _policy = null!;

    public async Task InitializeAsync()
    {
        _idp = await TestIdentityProvider.StartAsync();
        _policy = new ServiceFactory<PolicyService>(fixture.Servers, new Dictionary<string, string?>
        {
            ["Auth:TrustIssuers:0:Issuer"] = _idp.Issuer,
            ["Auth:TrustIssuers:0:Audience"] = Audience,
            ["Auth:TrustIssuers:0:TrustId"] = fixture.TrustA.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _policy.DisposeAsync();
        await _idp.DisposeAsync();
    }

    private HttpClient With(string token)
    {
        var client = _policy.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_member_signs_in_with_the_trusts_provider_and_gets_the_posts_they_hold_and_nothing_the_provider_claims()
    {
        using var admin = _policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var subject = "entra-" + Guid.NewGuid().ToString("N");
        var created = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Head of A1", email = MailPickup.Address("head"), subject, issuer = _idp.Issuer });
        await Http.EnsureSuccessAsync(created);
        var member = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA1}/appointments",
            new { memberId = member, role = Roles.Headteacher, startsOn = TestClock.Day(TestClock.Today) }));

        // The provider's token: the subject only. The member's post at A1 decides.
        using (var head = With(_idp.Token(subject, Audience)))
        {
            await Eventually.Until(async () => (await head.GetAsync($"/v1/schools/{fixture.SchoolA1}")).StatusCode, s => s == HttpStatusCode.OK,
                because: "the appointment reaches the replica");
            (await head.GetAsync($"/v1/schools/{fixture.SchoolA2}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the post is at A1 only");
        }

        // The provider cannot grant platform roles or move its people to another trust: those claims are dropped.
        var claims = new Dictionary<string, object> { [PlatformClaims.Trust] = fixture.TrustB.ToString(), [PlatformClaims.Role] = Roles.TrustAdmin };
        using (var stranger = With(_idp.Token("entra-" + Guid.NewGuid().ToString("N"), Audience, claims)))
        {
            (await stranger.GetAsync("/v1/members")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "someone who is no member holds no post");
            (await stranger.GetAsync($"/v1/schools/{fixture.SchoolB1}")).StatusCode.Should().NotBe(HttpStatusCode.OK);
        }

        using (var elevated = With(_idp.Token(subject, Audience, claims)))
        {
            (await elevated.GetAsync($"/v1/schools/{fixture.SchoolA1}")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await elevated.GetAsync("/v1/api-keys")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "trust_admin in the provider's token is not a platform role");
        }
    }

    [Fact]
    public async Task A_token_for_another_application_or_from_an_unknown_issuer_is_refused()
    {
        using (var otherApp = With(_idp.Token("entra-x", "some-other-app")))
        {
            (await otherApp.GetAsync($"/v1/schools/{fixture.SchoolA1}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var unknown = With(_idp.Token("entra-x", Audience, issuer: "https://login.example.invalid/other-tenant/v2.0"));
        (await unknown.GetAsync($"/v1/schools/{fixture.SchoolA1}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
