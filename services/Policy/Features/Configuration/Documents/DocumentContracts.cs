using Trust.Platform.Policy.Documents;

namespace Trust.Platform.Policy.Features.Configuration.Documents;

/// <summary>The trust's template: Markdown with <c>{{setting.key}}</c> placeholders and <c>&lt;!-- section: id [amendable] --&gt;</c> markers.</summary>
/// <param name="Version">The template's version: its ETag, to send in If-Match when replacing it (0 until the trust saves its own).</param>
public sealed record TemplateResponse(int Version, string Markdown, IReadOnlyList<TemplateSectionResponse> Sections)
{
    public static TemplateResponse From(int version, string markdown) =>
        new(version, markdown, PolicyDocument.Parse(markdown).Select(s => new TemplateSectionResponse(s.Id, s.Heading.TrimStart('#', ' '), s.Amendable)).ToList());
}

/// <summary>A section of the template; a school may write its own text only for an amendable one.</summary>
public sealed record TemplateSectionResponse(string Id, string Heading, bool Amendable);
