using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Features.Configuration.Documents.Document;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents;

/// <summary>One school's document as it would render now.</summary>
/// <param name="Unset">Every value the document would print unset: the section and the setting it needs. Publishing is refused while any school has one.</param>
public sealed record SchoolDocumentPreview(Guid SchoolId, string SchoolName, string Markdown, IReadOnlyList<UnsetValue> Unset);

/// <param name="Publishable">True when no school's document would render an unset value.</param>
public sealed record DocumentPreviewResponse(bool Publishable, IReadOnlyList<SchoolDocumentPreview> Schools);

/// <summary>Every school's document rendered from the trust's current configuration: what the preview shows and what publishing checks.</summary>
public static class DocumentPreview
{
    /// <summary>The rule a 422 names when publishing would put "[not set]" in a school's document.</summary>
    public const string NothingUnsetRule = "nothing-unset";

    public static async Task<DocumentPreviewResponse> ForTrustAsync(PolicyDbContext db, CancellationToken cancellationToken)
    {
        var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var previews = new List<SchoolDocumentPreview>(schools.Count);
        foreach (var school in schools)
        {
            var rendered = await GetDocument.RenderAsync(db, school, cancellationToken);
            previews.Add(new SchoolDocumentPreview(school.Id, school.Name, rendered.Markdown, rendered.Unset));
        }

        return new DocumentPreviewResponse(previews.All(p => p.Unset.Count == 0), previews);
    }

    /// <summary>
    /// One error per school and section, naming the settings: <c>schools/{schoolId}/sections/{section}</c>, so a console
    /// can point at the school and the section to fill.
    /// </summary>
    public static FieldErrors Errors(DocumentPreviewResponse preview)
    {
        var errors = new FieldErrors();
        foreach (var school in preview.Schools)
        {
            foreach (var section in school.Unset.GroupBy(u => u.Section))
            {
                errors.Add($"schools/{school.SchoolId}/sections/{section.Key}",
                    $"{school.SchoolName}: {string.Join(", ", section.Select(u => u.Placeholder))} would render unset; set a value for the school or in the baseline.");
            }
        }

        return errors;
    }
}
