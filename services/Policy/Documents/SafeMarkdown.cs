using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Trust.Platform.Policy.Documents;

/// <summary>
/// Keeps what users store (the trust's template, a school's amended sections, setting values, school and
/// trust names) from becoming markup in the policy document, in both formats:
/// <list type="bullet">
/// <item>a value is plain text: <see cref="Escape"/> makes every Markdown metacharacter that could build a link,
/// an image, code or HTML literal, so the value reads as typed in any CommonMark renderer;</item>
/// <item>user Markdown keeps its formatting, but <see cref="Neutralise"/> turns raw HTML, and links, images,
/// autolinks and reference definitions whose URL is not http, https or mailto, into literal text, so the
/// Markdown answer is safe for whoever renders it next;</item>
/// <item><see cref="ToHtml"/> renders with raw HTML disabled, drops any link or image that is still not
/// allowed, and passes the result through an allow-list sanitiser as a second layer.</item>
/// </list>
/// </summary>
public static partial class SafeMarkdown
{
    /// <summary>CommonMark with pipe tables (the document control block), raw HTML off; source positions for <see cref="Neutralise"/>.</summary>
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().UsePreciseSourceLocation().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>Markdown for <paramref name="text"/> as literal text on one line.</summary>
    public static string Escape(string text)
    {
        // A value sits inside a template line: a line break in it would start a new block (a heading, a list, a reference definition).
        text = LineBreaks().Replace(text, " ");
        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var escape = c switch
            {
                // Links, images, autolinks, HTML, code, emphasis, table cells, and the escape character itself.
                '\\' or '`' or '*' or '[' or ']' or '<' or '>' or '|' => true,

                // Intraword underscores never open emphasis (CommonMark 6.2), so "marketing_officer" stays readable.
                '_' => !(i > 0 && char.IsLetterOrDigit(text[i - 1]) && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])),

                // Only an entity or numeric character reference is markup; "Smith & Jones" is not.
                '&' => EntityReference().IsMatch(text.AsSpan(i)),

                // At the start of a line these open a heading, a list item, a thematic break or a setext underline.
                '#' => i == 0,
                '-' or '+' or '=' => i == 0 && (text.Length == 1 || text[1] is ' ' or '-' or '='),
                '.' or ')' => i is > 0 and <= 9 && !text.AsSpan(0, i).ContainsAnyExcept("0123456789") && (i + 1 == text.Length || text[i + 1] == ' '),
                _ => false,
            };
            if (escape)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// True for an absolute http or https URL with a host, or a mailto URL. Read the way a browser reads it
    /// (WHATWG URL): tabs and line breaks anywhere are dropped and controls and spaces at either end are
    /// trimmed, so <c>java&amp;#9;script:</c> and <c> JaVaScRiPt:</c> are what they look like. A URL without a
    /// scheme (relative, <c>//host</c>, <c>#fragment</c>) is refused: the document has no base it could mean.
    /// </summary>
    public static bool IsAllowedUrl(string? url)
    {
        if (url is null)
        {
            return false;
        }

        var cleaned = new string(url.Where(c => c is not ('\t' or '\n' or '\r')).ToArray()).Trim(ControlsAndSpace);
        if (Scheme().Match(cleaned) is not { Success: true } scheme)
        {
            return false;
        }

        return scheme.Groups["scheme"].Value.ToLowerInvariant() switch
        {
            "mailto" => true,
            "http" or "https" => Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0,
            _ => false,
        };
    }

    /// <summary>
    /// The same Markdown with every raw HTML tag and every link, image, autolink or reference definition
    /// whose URL <see cref="IsAllowedUrl">is not allowed</see> made literal by a backslash before its
    /// opening character. Everything else (and so every seed-faithful line) is left as it is.
    /// </summary>
    public static string Neutralise(string markdown)
    {
        // Each pass fixes what the parse found; a fix can change how the rest parses (an escaped "[" may free a
        // "<" inside a former link label), so parse again until nothing is left.
        for (var pass = 0; pass < 8; pass++)
        {
            var openings = UnsafeOpenings(markdown, Markdown.Parse(markdown, Pipeline));
            if (openings is null)
            {
                break;
            }

            if (openings.Count == 0)
            {
                return markdown;
            }

            var fixedText = new StringBuilder(markdown.Length + openings.Count);
            var from = 0;
            foreach (var at in openings.Order())
            {
                fixedText.Append(markdown, from, at - from).Append('\\');
                from = at;
            }

            markdown = fixedText.Append(markdown, from, markdown.Length - from).ToString();
        }

        // REVIEW: reached only if Markdig's source positions ever disagree with its tree; every opening character is
        // escaped then, which is safe but shows backslashes inside code spans.
        return OpeningCharacters().Replace(markdown, m => IsEscaped(markdown, m.Index) ? m.Value : "\\" + m.Value);
    }

    /// <summary>HTML for <paramref name="markdown"/>: raw HTML as text, disallowed links as their text, disallowed images as their alt text.</summary>
    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants().ToList())
        {
            switch (node)
            {
                case LinkInline link when !IsAllowedUrl(link.Url):
                    Unlink(link);
                    break;
                case LinkInline link:
                    // Render exactly the URL that was checked.
                    link.GetDynamicUrl = null;
                    break;
                case AutolinkInline autolink when !IsAllowedUrl(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url):
                    autolink.ReplaceBy(new LiteralInline("<" + autolink.Url + ">"), copyChildren: false);
                    break;
                case HtmlInline html:
                    html.ReplaceBy(new LiteralInline(html.Tag), copyChildren: false);
                    break;
                case HtmlBlock block:
                    // Unreachable with raw HTML disabled; if a future extension brings one back, it is not rendered.
                    block.Parent?.Remove(block);
                    break;
            }
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return Sanitizer.Sanitize(writer.ToString());
    }

    /// <summary>Offsets of the opening characters to escape, or null when a position does not hold the character the tree says.</summary>
    private static List<int>? UnsafeOpenings(string source, MarkdownDocument document)
    {
        var openings = new List<int>();
        bool Add(int at, char expected)
        {
            if (at < 0 || at >= source.Length || source[at] != expected)
            {
                return false;
            }

            if (!IsEscaped(source, at))
            {
                openings.Add(at);
            }

            return true;
        }

        foreach (var node in document.Descendants())
        {
            var ok = node switch
            {
                // With raw HTML off, a tag is parsed as literal text: make it literal for every other renderer too.
                LiteralInline literal => LiteralOpenings(source, literal, openings),
                LinkInline link when !IsAllowedUrl(link.Url) => Add(link.IsImage ? link.Span.Start + 1 : link.Span.Start, '['),
                AutolinkInline autolink when !IsAllowedUrl(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url) => Add(autolink.Span.Start, '<'),
                LinkReferenceDefinition definition when !IsAllowedUrl(definition.Url) =>
                    definition.Span.Start >= 0 && source.IndexOf('[', definition.Span.Start) is var bracket and >= 0 && Add(bracket, '['),
                HtmlInline or HtmlBlock => Add(node.Span.Start, '<'),
                _ => true,
            };
            if (!ok)
            {
                return null;
            }
        }

        return openings.Distinct().ToList();
    }

    private static bool LiteralOpenings(string source, LiteralInline literal, List<int> openings)
    {
        if (literal.Content.IndexOf('<') < 0)
        {
            return true;
        }

        var span = literal.Span;
        if (span.Start < 0 || span.End >= source.Length)
        {
            return false;
        }

        var found = false;
        for (var at = span.Start; at <= span.End; at++)
        {
            if (source[at] == '<')
            {
                found = true;
                if (!IsEscaped(source, at))
                {
                    openings.Add(at);
                }
            }
        }

        return found;
    }

    /// <summary>An odd run of backslashes before <paramref name="at"/> escapes it.</summary>
    private static bool IsEscaped(string source, int at)
    {
        var backslashes = 0;
        while (at - backslashes - 1 >= 0 && source[at - backslashes - 1] == '\\')
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static void Unlink(LinkInline link)
    {
        if (link.IsImage)
        {
            link.ReplaceBy(new LiteralInline(string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()))), copyChildren: false);
            return;
        }

        while (link.FirstChild is { } child)
        {
            child.Remove();
            link.InsertBefore(child);
        }

        link.Remove();
    }

    /// <summary>Second layer: only the elements and attributes Markdig writes for CommonMark and pipe tables, URLs only http, https, mailto.</summary>
    private static HtmlSanitizer CreateSanitizer()
    {
        var options = HtmlSanitizerOptions.Empty();
        foreach (var tag in new[] { "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "a", "img", "table", "thead", "tbody", "tr", "th", "td" })
        {
            options.AllowedTags.Add(tag);
        }

        foreach (var attribute in new[] { "href", "src", "alt", "title", "start" })
        {
            options.AllowedAttributes.Add(attribute);
        }

        options.UriAttributes.Add("href");
        options.UriAttributes.Add("src");
        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            options.AllowedSchemes.Add(scheme);
        }

        return new HtmlSanitizer(options);
    }

    private static readonly char[] ControlsAndSpace = [.. Enumerable.Range(0, 0x21).Select(c => (char)c)];

    [GeneratedRegex(@"\r\n|\r|\n")]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")]
    private static partial Regex EntityReference();

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*):")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"[<\[]")]
    private static partial Regex OpeningCharacters();
}
