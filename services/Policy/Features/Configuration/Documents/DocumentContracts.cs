using Trust.Platform.Policy.Documents;

namespace Trust.Platform.Policy.Features.Configuration.Documents;

/// <summary>A template of the trust's library, without its text.</summary>
/// <param name="Key">The template's key, e.g. <c>swgfl-school</c>: what a school's <c>document.template</c> setting names.</param>
/// <param name="Kind"><c>school</c> (rendered for each school with its values) or <c>trust</c> (the trust's own document).</param>
/// <param name="Version">Its ETag: 0 while the trust uses the built-in text, then one more on each save.</param>
/// <param name="Customised">Whether the trust saved its own copy (false: the platform's built-in text).</param>
public sealed record DocumentTemplateSummary(string Key, string Kind, string Name, int Version, bool Customised)
{
    public static DocumentTemplateSummary From(LibraryTemplate t) => new(t.Key, TemplateLibrary.KindName(t.Kind), t.Name, t.Version, t.Customised);
}

/// <summary>
/// A template: Markdown with <c>{{setting.key}}</c> placeholders (<c>{{setting.key?}}</c> leaves the line out when the school has no
/// value) and section markers: <c>&lt;!-- section: id --&gt;</c> (schools keep it), <c>&lt;!-- section: id amendable --&gt;</c>
/// (a school may write its own text) and <c>&lt;!-- additions: id --&gt;</c> (a school may add sections of its own there).
/// </summary>
public sealed record DocumentTemplateResponse(string Key, string Kind, string Name, int Version, bool Customised, string Markdown, IReadOnlyList<TemplateSectionResponse> Sections)
{
    public static DocumentTemplateResponse From(LibraryTemplate t) =>
        new(t.Key, TemplateLibrary.KindName(t.Kind), t.Name, t.Version, t.Customised, t.Markdown,
            PolicyDocument.Parse(t.Markdown).Select(s => new TemplateSectionResponse(s.Id, s.Heading.TrimStart('#', ' '), ModeName(s.Mode))).ToList());

    private static string ModeName(SectionMode mode) => mode switch
    {
        SectionMode.Amendable => "amendable",
        SectionMode.Additions => "additions",
        _ => "kept",
    };
}

/// <summary>A section of a template and what a school may do with it.</summary>
/// <param name="Mode"><c>kept</c>: the trust's text in every school's document; <c>amendable</c>: a school may replace its body with its own text;
/// <c>additions</c>: a point where a school may add sections of its own (they never replace the trust's).</param>
public sealed record TemplateSectionResponse(string Id, string Heading, string Mode);
