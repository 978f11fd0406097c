using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Parser;
using Trust.Platform.Policy.Documents;

namespace Trust.Platform.Policy.Tests;

/// <summary>The rules of <see cref="SafeMarkdown"/> as pure logic, no servers.</summary>
[Trait("Category", "Unit")]
public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("https://swgfl.org.uk/resources")]
    [InlineData("HTTP://EXAMPLE.ORG")]
    [InlineData("mailto:dpo@school.example")]
    public void Http_https_and_mailto_urls_are_allowed(string url) => SafeMarkdown.IsAllowedUrl(url).Should().BeTrue();

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("\u0001javascript:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("//evil.example/x")]
    [InlineData("\\\\evil.example/x")]
    [InlineData("/v1/schools")]
    [InlineData("#section")]
    [InlineData("https://")]
    [InlineData("")]
    [InlineData(null)]
    public void Every_other_url_is_refused(string? url) => SafeMarkdown.IsAllowedUrl(url).Should().BeFalse();

    [Theory]
    [InlineData("Siobhán O'Brien")]
    [InlineData("Smith & Jones")]
    [InlineData("marketing_officer")]
    [InlineData("1.0, 1 November 2026")]
    [InlineData("Board of Trustees (Chair of the Board of Trustees)")]
    public void A_plain_value_is_written_as_it_reads(string value) => SafeMarkdown.Escape(value).Should().Be(value);

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", @"\<img src=x onerror=alert(1)\>")]
    [InlineData("[x](javascript:alert(1))", @"\[x\](javascript:alert(1))")]
    [InlineData("&#106;", @"\&#106;")]
    [InlineData("*bold* `code` a|b", @"\*bold\* \`code\` a\|b")]
    [InlineData("# Heading", @"\# Heading")]
    [InlineData("1. first", @"1\. first")]
    [InlineData("line\nbreak", "line break")]
    public void A_value_that_would_be_markup_is_escaped(string value, string markdown) => SafeMarkdown.Escape(value).Should().Be(markdown);

    [Fact]
    public void The_default_templates_text_is_left_exactly_as_it_is()
    {
        // The section markers are the template's structure, never part of a rendered body.
        var text = string.Join('\n', PolicyDocument.DefaultTemplate.ReplaceLineEndings("\n").Split('\n').Where(l => !l.StartsWith("<!-- ", StringComparison.Ordinal)));
        SafeMarkdown.Neutralise(text).Should().Be(text);
    }

    [Fact]
    public void Raw_html_and_disallowed_links_become_literal_text_and_the_rest_of_the_markdown_stays()
    {
        const string markdown = "- <b>bold</b> `<code>` [ok](https://ok.example) [bad](javascript:alert(1)) ![img](data:x) <javascript:alert(1)> \\<kept>\n\n[r]: vbscript:x\n";
        SafeMarkdown.Neutralise(markdown).Should().Be(
            "- \\<b>bold\\</b> `<code>` [ok](https://ok.example) \\[bad](javascript:alert(1)) !\\[img](data:x) \\<javascript:alert(1)> \\<kept>\n\n\\[r]: vbscript:x\n");
    }

    [Fact]
    public void The_print_ready_page_allows_exactly_its_own_style_block()
    {
        var page = new HtmlParser().ParseDocument(PolicyDocument.RenderHtml("A & B", "# Title"));
        var style = page.Head!.QuerySelector("style")!.TextContent;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        PolicyDocument.ContentSecurityPolicy.Should().Contain($"style-src 'sha256-{hash}'");
        page.Title.Should().Be("A & B");
    }
}
