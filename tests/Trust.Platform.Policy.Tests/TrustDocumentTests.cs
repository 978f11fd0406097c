using System.Net;
using System.Net.Http.Headers;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Documents;

namespace Trust.Platform.Policy.Tests;

/// <summary>GET /v1/policy/document: the trust's own policy (002) rendered with its baseline, as Markdown or print-ready HTML.</summary>
[Collection(PolicyCollection.Name)]
public sealed class TrustDocumentTests(PolicyFixture fixture)
{
    [Fact]
    public async Task The_trust_document_is_markdown_by_default_with_its_control_block_history_and_the_three_appendix_forms()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        var response = await admin.GetAsync("/v1/policy/document");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/markdown");
        var markdown = await response.Content.ReadAsStringAsync();

        markdown.Should().StartWith("# Seeded Trust Social Media Policy")
            .And.Contain("| Organisation | Seeded Trust |")
            .And.Contain("| Version and date | 1.0,")
            .And.Contain("| Approved by | Board of Trustees (Chair of the Board of Trustees) |")
            .And.Contain("| Next review date |")
            .And.Contain("## Document version history")
            .And.Contain("| 1.0 |")
            .And.Contain("## Statement of intent").And.Contain("The Seeded Trust understands that social media")
            .And.Contain("## 9. Training")
            .And.Contain("## Appendix A: Blocked content access request form").And.Contain("| Full URL | |")
            .And.Contain("## Appendix B: Inappropriate content report form").And.Contain("| Nature of inappropriate content | |")
            .And.Contain("## Appendix C: Social media site creation approval form").And.Contain("| Who will host the site? | |")
            .And.NotContain("[not set]").And.NotContain("{{");
    }

    [Fact]
    public async Task A_headteacher_asking_for_text_html_gets_the_print_ready_page_under_the_same_content_security_policy_as_a_school_document()
    {
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.SeededTrust, fixture.Mellers));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/policy/document");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var response = await head.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        response.Headers.GetValues("Content-Security-Policy").Should().Equal(PolicyDocument.ContentSecurityPolicy);
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<title>Seeded Trust Social Media Policy</title>").And.Contain("@page").And.Contain("<table>")
            .And.Contain("<h2>Appendix C: Social media site creation approval form</h2>").And.NotContain("<script");
    }

    [Theory]
    [InlineData("text/markdown, text/html;q=0.5", "text/markdown")]
    [InlineData("text/html, text/markdown;q=0.9", "text/html")]
    [InlineData("*/*", "text/markdown")]
    public async Task The_accept_header_chooses_between_markdown_and_html_by_quality(string accept, string expected)
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/policy/document");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await admin.SendAsync(request);
        response.Content.Headers.ContentType!.MediaType.Should().Be(expected);
    }

    [Fact]
    public async Task Each_trust_reads_its_own_document_and_an_unpublished_trust_says_so_instead_of_a_version()
    {
        using var other = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustB));
        var markdown = await other.GetStringAsync("/v1/policy/document");
        markdown.Should().StartWith("# Trust B Social Media Policy").And.Contain("| Version and date | Not yet published |").And.NotContain("Seeded Trust");
    }

    [Fact]
    public async Task A_member_of_staff_is_refused_the_trust_document_and_a_format_other_than_markdown_or_html_is_a_400_naming_the_field()
    {
        using var staff = fixture.Policy.ClientFor(fixture.InSchool(Roles.Staff, fixture.SeededTrust, fixture.Mellers));
        (await staff.GetAsync("/v1/policy/document")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        var bad = await admin.GetAsync("/v1/policy/document?format=pdf");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("format");
    }
}
