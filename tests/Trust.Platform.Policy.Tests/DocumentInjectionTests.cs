using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// What a headteacher, a trust admin or a directory write can store must never come out of the school's
/// policy document as markup: not in <c>?format=html</c>, and not in the Markdown when someone else
/// renders it with raw HTML allowed. Each injection point gets every payload.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class DocumentInjectionTests(PolicyFixture fixture)
{
    /// <summary>Raw HTML, a script, and links or images whose scheme runs code (mixed case, entity-encoded, a tab inside, protocol-relative).</summary>
    private static readonly string[] Stored =
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#9;script:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[x](vbscript:msgbox(1))",
        "[x](//evil.example/steal)",
        "<javascript:alert(1)>",
        "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>",
    ];

    public static TheoryData<string> Payloads => new(Stored);

    /// <summary>An amendment is Markdown, so it may also hide the scheme in a reference definition.</summary>
    public static TheoryData<string> AmendmentPayloads => new(
    [
        .. Stored,
        "[x][r]\n\n[r]: vbscript:msgbox(1)",
        "- <svg onload=alert(1)>\n\n| a |\n|---|\n| <img src=x onerror=alert(1)> [y](JAVASCRIPT:alert(1)) |",
    ]);

    [Theory]
    [MemberData(nameof(AmendmentPayloads))]
    public async Task An_amended_section_cannot_put_markup_or_a_script_link_into_the_document(string payload)
    {
        var (trust, school) = await NewSchoolAsync("Amended School");
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
        using var amend = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school}/policy/sections/legal-considerations") { Content = JsonContent.Create(new { markdown = payload }) };
        amend.Headers.IfMatch.Add(etag);
        await Http.EnsureSuccessAsync(await head.SendAsync(amend));

        await DocumentShouldBeInertAsync(head, school, visibleText: null);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task A_named_person_setting_reads_as_text_and_never_as_markup(string payload)
    {
        var (trust, school) = await NewSchoolAsync("Person School");
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/roles.network_manager",
            new JsonObject { ["value"] = new JsonObject { ["name"] = payload, ["jobTitle"] = "IT technician" } });

        await DocumentShouldBeInertAsync(head, school, visibleText: payload + ", IT technician");
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task The_document_owner_reads_as_text_and_never_as_markup(string payload)
    {
        var (trust, school) = await NewSchoolAsync("Owner School");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.PutAsync(admin, "/v1/policy/baseline/document.owner", new JsonObject { ["value"] = payload });

        await DocumentShouldBeInertAsync(admin, school, visibleText: payload);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task A_school_name_from_the_directory_reads_as_text_and_never_as_markup(string payload)
    {
        var (trust, school) = await NewSchoolAsync(payload);
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));

        await DocumentShouldBeInertAsync(admin, school, visibleText: payload);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task A_trust_name_reads_as_text_and_never_as_markup(string payload)
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, payload);
        var school = await fixture.CreateSchoolAsync(trust, "Trust Name School", "700001");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));

        await DocumentShouldBeInertAsync(admin, school, visibleText: payload);
    }

    [Fact]
    public async Task A_name_with_an_apostrophe_or_an_ampersand_reads_as_written_in_both_formats()
    {
        var (trust, school) = await NewSchoolAsync("Smith & Jones Academy");
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/roles.network_manager",
            new JsonObject { ["value"] = new JsonObject { ["name"] = "Siobhán O'Brien", ["jobTitle"] = "IT technician" } });

        var markdown = await head.GetStringAsync($"/v1/schools/{school}/policy/document");
        markdown.Should().Contain("Siobhán O'Brien, IT technician").And.Contain("represent Smith & Jones Academy", "the Markdown reads as written");
        var html = await head.GetStringAsync($"/v1/schools/{school}/policy/document?format=html");
        var text = new HtmlParser().ParseDocument(html).Body!.TextContent;
        text.Should().Contain("The school's network manager is Siobhán O'Brien, IT technician").And.Contain("represent Smith & Jones Academy");
    }

    [Fact]
    public async Task A_safe_link_in_an_amended_section_is_kept()
    {
        var (trust, school) = await NewSchoolAsync("Linking School");
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
        using var amend = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school}/policy/sections/legal-considerations")
        {
            Content = JsonContent.Create(new { markdown = "- See [SWGfL](https://swgfl.org.uk/) or write to <dpo@school.example>." }),
        };
        amend.Headers.IfMatch.Add(etag);
        await Http.EnsureSuccessAsync(await head.SendAsync(amend));

        var html = await head.GetStringAsync($"/v1/schools/{school}/policy/document?format=html");
        var links = new HtmlParser().ParseDocument(html).QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        links.Should().Contain("https://swgfl.org.uk/").And.Contain("mailto:dpo@school.example");
    }

    [Fact]
    public async Task Every_policy_response_tells_browsers_not_to_sniff_its_content_type()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        using var anonymous = fixture.Policy.ClientFor(null);
        foreach (var response in new[]
                 {
                     await admin.GetAsync("/v1/schools"),
                     await admin.GetAsync($"/v1/schools/{fixture.SchoolB1}"),
                     await anonymous.GetAsync("/v1/schools"),
                     await admin.GetAsync($"/v1/schools/{fixture.SchoolA1}/policy/document"),
                 })
        {
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], $"{response.RequestMessage!.RequestUri} answered {response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task A_schools_approving_body_and_signatory_read_as_text_and_never_as_markup(string payload)
    {
        var (trust, school) = await NewSchoolAsync("Approving School");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.CompleteDocumentsAsync(admin);
        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "First" });
        var version = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/policy/versions/{version}/approve",
            new { approverName = "Chair", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) }));
        await Http.EnsureSuccessAsync(await admin.PostAsync($"/v1/policy/versions/{version}/publish", null));
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        await Http.EnsureSuccessAsync(await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval",
            new { approvingBody = payload, approverName = payload, approvedOn = TestClock.Day(TestClock.Today) }));

        await DocumentShouldBeInertAsync(head, school, visibleText: $"{payload} ({payload})");
    }

    private async Task<(Guid Trust, Guid School)> NewSchoolAsync(string schoolName)
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Injection Trust");
        return (trust, await fixture.CreateSchoolAsync(trust, schoolName, "600001"));
    }

    private static async Task DocumentShouldBeInertAsync(HttpClient client, Guid school, string? visibleText)
    {
        var response = await client.GetAsync($"/v1/schools/{school}/policy/document?format=html");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        InertHtml.ShouldHold(page, "the print-ready page");
        page.Head!.QuerySelectorAll("*").Select(e => e.LocalName).Should().BeSubsetOf(["meta", "title", "style"]);
        if (visibleText is not null)
        {
            page.Body!.TextContent.Should().Contain(visibleText, "a stored value reads as the text it is");
        }

        response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff).Should().BeTrue("an HTML answer says nosniff");
        nosniff.Should().Equal("nosniff");
        response.Headers.TryGetValues("Content-Security-Policy", out var policies).Should().BeTrue("an HTML answer carries a Content-Security-Policy");
        policies.Should().ContainSingle().Which.Should().Contain("default-src 'none'").And.Contain("base-uri 'none'").And.Contain("form-action 'none'")
            .And.Contain("frame-ancestors 'none'").And.NotContain("script-src").And.NotContain("unsafe-eval");

        // Someone else renders the Markdown with raw HTML allowed (a CommonMark/GFM renderer without a sanitiser).
        var markdown = await client.GetStringAsync($"/v1/schools/{school}/policy/document?format=markdown");
        var elsewhere = new HtmlParser().ParseDocument(Markdown.ToHtml(markdown, new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().Build()));
        InertHtml.ShouldHold(elsewhere, "the Markdown rendered elsewhere");
        elsewhere.QuerySelectorAll("style").Should().BeEmpty();
        if (visibleText is not null)
        {
            elsewhere.Body!.TextContent.Should().Contain(visibleText, "the Markdown escapes a stored value consistently");
        }
    }
}

/// <summary>The checks a browser's view of a page must pass: nothing runs, nothing loads or navigates outside http, https and mailto.</summary>
public static class InertHtml
{
    private static readonly string[] UrlAttributes = ["href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background", "data", "cite", "ping"];

    public static void ShouldHold(IDocument document, string what)
    {
        document.QuerySelectorAll("script, iframe, frame, object, embed, base, form, svg, math, link, meta[http-equiv]").Select(e => e.OuterHtml)
            .Should().BeEmpty($"{what} holds no active element");
        document.Body!.QuerySelectorAll("style, meta").Should().BeEmpty($"{what} has no style or meta in its body");
        foreach (var element in document.All)
        {
            element.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => $"{element.LocalName} {a.Name}")
                .Should().BeEmpty($"{what} has no event handler attribute");
            foreach (var attribute in element.Attributes.Where(a => UrlAttributes.Contains(a.Name, StringComparer.OrdinalIgnoreCase)))
            {
                IsAllowed(attribute.Value).Should().BeTrue($"{what} links only to http, https or mailto, not <{element.LocalName} {attribute.Name}=\"{attribute.Value}\">");
            }
        }
    }

    private static bool IsAllowed(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto" && !url.TrimStart().StartsWith("//", StringComparison.Ordinal);
}
