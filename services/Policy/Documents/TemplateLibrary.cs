using System.Text;

namespace Trust.Platform.Policy.Documents;

/// <summary>Whom a template's document is for: a school (rendered per school, with its values) or the trust itself.</summary>
public enum TemplateKind
{
    School,
    Trust,
}

/// <summary>A template the platform ships: the trust's library holds it until the trust saves its own copy under the same key.</summary>
public sealed record BuiltInTemplate(string Key, TemplateKind Kind, string Name, string Markdown);

/// <summary>
/// The built-in templates, each from a seed's own structure and shipped as an embedded resource
/// (<c>Documents/Templates/&lt;key&gt;.md</c>).
/// </summary>
public static class TemplateLibrary
{
    /// <summary>The SWGfL-style school policy: 000's structure, which 003 and 004 adapt.</summary>
    public const string SwgflSchool = "swgfl-school";

    /// <summary>The KCSIE-style school policy: 001's structure.</summary>
    public const string KcsieSchool = "kcsie-school";

    public static IReadOnlyList<BuiltInTemplate> BuiltIn { get; } =
    [
        new(SwgflSchool, TemplateKind.School, "SWGfL-style school social media policy", Load(SwgflSchool)),
        new(KcsieSchool, TemplateKind.School, "KCSIE-style school social media policy", Load(KcsieSchool)),
        new(TrustDocument.TemplateName, TemplateKind.Trust, "The trust's own social media policy (002's structure)", Load(TrustDocument.TemplateName)),
    ];

    /// <summary>The keys a school's <c>document.template</c> setting may name.</summary>
    public static IReadOnlyList<string> SchoolKeys { get; } = [.. BuiltIn.Where(t => t.Kind == TemplateKind.School).Select(t => t.Key)];

    public static BuiltInTemplate? Find(string key) => BuiltIn.SingleOrDefault(t => t.Key == key);

    public static string KindName(TemplateKind kind) => kind == TemplateKind.School ? "school" : "trust";

    private static string Load(string key)
    {
        using var stream = typeof(TemplateLibrary).Assembly.GetManifestResourceStream($"Trust.Platform.Policy.Documents.Templates.{key}.md")
            ?? throw new InvalidOperationException($"The built-in template {key} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
