using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Tests;

/// <summary>The catalogue tells a client what acts on each setting.</summary>
[Collection(PolicyCollection.Name)]
public sealed class CatalogueUseTests(PolicyFixture fixture)
{
    [Fact]
    public async Task The_catalogue_shows_what_acts_on_each_setting_or_why_it_is_guidance_only()
    {
        using var staff = fixture.Policy.ClientFor(fixture.InSchool(Roles.Staff, fixture.TrustA, fixture.SchoolA1));

        var catalogue = (await staff.GetFromJsonAsync<JsonArray>("/v1/policy/catalogue"))!;

        catalogue.Should().HaveCount(SettingCatalogue.All.Count);
        var sla = catalogue.Single(s => s!["key"]!.GetValue<string>() == "sla.response_hours")!["use"]!;
        sla["kind"]!.GetValue<string>().Should().Be("consumer");
        sla["what"]!.GetValue<string>().Should().StartWith("Incidents: ");
        var whoMayPost = catalogue.Single(s => s!["key"]!.GetValue<string>() == "accounts.who_may_post")!["use"]!;
        whoMayPost["kind"]!.GetValue<string>().Should().Be("rule");
        whoMayPost["what"]!.GetValue<string>().Should().StartWith("Accounts: ");
        var pupilBan = catalogue.Single(s => s!["key"]!.GetValue<string>() == "pupils.social_media_ban")!["use"]!;
        pupilBan["kind"]!.GetValue<string>().Should().Be("guidance_only");
        pupilBan["what"]!.GetValue<string>().Should().Contain("filtering provider");
        catalogue.Select(s => s!["use"]!["kind"]!.GetValue<string>()).Should().OnlyContain(k => k == "endpoint" || k == "rule" || k == "consumer" || k == "guidance_only");
    }
}
