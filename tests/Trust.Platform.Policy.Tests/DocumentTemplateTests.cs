using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Documents;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>The trust's library of templates, a school's template as a setting, and what a school may write in it.</summary>
[Collection(PolicyCollection.Name)]
public sealed class DocumentTemplateTests(PolicyFixture fixture)
{
    private async Task<(Guid Trust, Guid School)> NewTrustAsync()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Template Trust");
        return (trust, await fixture.CreateSchoolAsync(trust, "Template School", "510001"));
    }

    private static async Task<HttpResponseMessage> PutTemplateAsync(HttpClient admin, string key, string markdown, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/policy/templates/{key}") { Content = JsonContent.Create(new { markdown }) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }

        return await admin.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> WriteSectionAsync(HttpClient head, Guid school, string section, string text)
    {
        var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school}/policy/sections/{section}") { Content = JsonContent.Create(new { markdown = text }) };
        request.Headers.IfMatch.Add(etag);
        return await head.SendAsync(request);
    }

    [Fact]
    public async Task The_library_holds_the_built_in_templates_at_version_0_until_the_trust_saves_its_own_copy()
    {
        var (trust, school) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var library = await admin.GetFromJsonAsync<JsonArray>("/v1/policy/templates");
        library!.Select(t => t!["key"]!.GetValue<string>()).Should().Contain([TemplateLibrary.SwgflSchool, TemplateLibrary.KcsieSchool]);
        library.Should().OnlyContain(t => t!["version"]!.GetValue<int>() == 0 && !t["customised"]!.GetValue<bool>());

        var kcsie = await admin.GetAsync("/v1/policy/templates/kcsie-school");
        kcsie.Headers.ETag!.Tag.Should().Be("\"0\"");
        var body = await kcsie.Content.ReadFromJsonAsync<JsonObject>();
        body!["kind"]!.GetValue<string>().Should().Be("school");
        body["sections"]!.AsArray().Select(s => $"{s!["id"]}:{s["mode"]}").Should().Contain(["golden-principles:kept", "introduction:amendable", "school-sections:additions"]);

        var own = TemplateLibrary.Find(TemplateLibrary.SwgflSchool)!.Markdown.Replace("## Monitoring", "## Monitoring of our accounts", StringComparison.Ordinal);
        (await PutTemplateAsync(admin, "swgfl-school", own, null)).StatusCode.Should().Be(HttpStatusCode.PreconditionRequired);
        var saved = await PutTemplateAsync(admin, "swgfl-school", own, "\"0\"");
        saved.StatusCode.Should().Be(HttpStatusCode.OK);
        saved.Headers.ETag!.Tag.Should().Be("\"1\"");
        (await PutTemplateAsync(admin, "swgfl-school", own, "\"0\"")).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await admin.GetFromJsonAsync<JsonObject>("/v1/policy/templates/swgfl-school"))!["customised"]!.GetValue<bool>().Should().BeTrue();
        (await admin.GetStringAsync($"/v1/schools/{school}/policy/document")).Should().Contain("## Monitoring of our accounts");

        (await admin.GetAsync("/v1/policy/templates/no-such-template")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await PutTemplateAsync(admin, "no-such-template", own, "\"0\"")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("<!-- section: scope lockd -->\n## Scope\n\ntext\n", "is not a marker")]
    [InlineData("Loose text\n<!-- section: scope -->\n## Scope\n", "must start with a marker")]
    [InlineData("<!-- section: scope -->\n## Scope\n<!-- additions: here -->\nThe trust's text\n", "holds text")]
    [InlineData("<!-- section: scope -->\n## Scope\n{{no.such_setting?}}\n", "Unknown placeholder")]
    public async Task A_template_with_a_malformed_marker_or_an_unknown_placeholder_is_a_400_on_markdown(string markdown, string problem)
    {
        var (trust, _) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var response = await PutTemplateAsync(admin, "swgfl-school", markdown, "\"0\"");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        body!["errors"]!.AsObject().Single(e => e.Key.EndsWith("markdown", StringComparison.OrdinalIgnoreCase)).Value!.AsArray()
            .Select(m => m!.GetValue<string>()).Should().Contain(m => m.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_school_on_the_kcsie_template_renders_it_and_adds_its_own_sections_beside_the_trusts_never_in_their_place()
    {
        var (trust, school) = await NewTrustAsync();
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        (await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/document.template", new JsonObject { ["value"] = "kcsie-school" }, ensureSuccess: false))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/document.template", new JsonObject { ["value"] = "no-such" }, ensureSuccess: false))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await WriteSectionAsync(head, school, "golden-principles", "Our own principles.")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await WriteSectionAsync(head, school, "school-sections", "## Our own section\n\n- Our own rule.")).StatusCode.Should().Be(HttpStatusCode.OK);

        var document = await head.GetStringAsync($"/v1/schools/{school}/policy/document");
        document.Should().Contain("## The golden principles").And.Contain("Keeping Children safe in Education (2023)");
        document.IndexOf("## Our own section", StringComparison.Ordinal).Should()
            .BeGreaterThan(document.IndexOf("## Dealing with inappropriate contact", StringComparison.Ordinal))
            .And.BeLessThan(document.IndexOf("## Linked policies", StringComparison.Ordinal));
        document.Should().NotContain("The school's e-safety team", "the KCSIE template does not ask for it");
        document[document.IndexOf("## Introduction", StringComparison.Ordinal)..].Should().NotContain(@"\[not set\]", "the body asks for nothing this new trust has not set");
    }
}
