using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Policy.Tests;

/// <summary>GET /v1/me: every caller of the trust sees itself, from its credentials alone.</summary>
[Collection(PolicyCollection.Name)]
public sealed class WhoAmITests(PolicyFixture fixture)
{
    [Fact]
    public async Task A_headteacher_sees_a_person_of_the_trust_with_the_headteacher_role_at_their_school()
    {
        var head = fixture.InSchool(Roles.Headteacher, fixture.SeededTrust, fixture.Mellers);
        using var client = fixture.Policy.ClientFor(head);

        var me = (await client.GetFromJsonAsync<JsonObject>("/v1/me"))!;

        me["kind"]!.GetValue<string>().Should().Be("person");
        me["trustId"]!.GetValue<Guid>().Should().Be(fixture.SeededTrust);
        me["subject"]!.GetValue<string>().Should().Be(head.Subject);
        me["apiKeyId"].Should().BeNull();
        var role = me["roles"]!.AsArray().Should().ContainSingle().Subject!;
        role["role"]!.GetValue<string>().Should().Be(Roles.Headteacher);
        role["wholeTrust"]!.GetValue<bool>().Should().BeFalse();
        role["schoolIds"]!.AsArray().Select(s => s!.GetValue<Guid>()).Should().Equal(fixture.Mellers);
        me["scopes"]!.AsArray().Should().BeEmpty();
        me["keySchoolIds"]!.AsArray().Should().BeEmpty();
        me.Select(p => p.Key).Should().NotContain(["name", "displayName", "email"], "the answer carries no personal data beyond the subject");
    }

    [Fact]
    public async Task A_trust_admin_sees_the_trust_admin_role_over_the_whole_trust()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));

        var me = (await client.GetFromJsonAsync<JsonObject>("/v1/me"))!;

        me["kind"]!.GetValue<string>().Should().Be("person");
        me["trustId"]!.GetValue<Guid>().Should().Be(fixture.TrustA);
        var role = me["roles"]!.AsArray().Should().ContainSingle().Subject!;
        role["role"]!.GetValue<string>().Should().Be(Roles.TrustAdmin);
        role["wholeTrust"]!.GetValue<bool>().Should().BeTrue();
        role["schoolIds"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task An_api_key_sees_itself_with_its_scopes_and_schools_and_no_roles()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Who am I", scopes = new[] { Scopes.RosterWrite, Scopes.DirectoryRead }, schoolIds = new[] { fixture.SchoolA2 } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var issued = (await created.Content.ReadFromJsonAsync<IssuedKey>())!;
        using var client = fixture.Policy.ClientWithKey(issued.Secret);

        var me = (await client.GetFromJsonAsync<JsonObject>("/v1/me"))!;

        me["kind"]!.GetValue<string>().Should().Be("api_key");
        me["trustId"]!.GetValue<Guid>().Should().Be(fixture.TrustA);
        me["apiKeyId"]!.GetValue<Guid>().Should().Be(issued.Key.Id);
        me["subject"]!.GetValue<string>().Should().Be("apikey:" + issued.Key.Id);
        me["roles"]!.AsArray().Should().BeEmpty();
        me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal(Scopes.DirectoryRead, Scopes.RosterWrite);
        me["keySchoolIds"]!.AsArray().Select(s => s!.GetValue<Guid>()).Should().Equal(fixture.SchoolA2);
    }

    [Fact]
    public async Task An_anonymous_caller_is_401()
    {
        using var client = fixture.Policy.ClientFor(null);
        (await client.GetAsync("/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
