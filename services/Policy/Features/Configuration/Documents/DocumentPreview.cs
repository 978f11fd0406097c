using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents;

/// <summary>One school's document as it would render now.</summary>
/// <param name="Unset">Every value the document would print unset: the section and the setting it needs (section <c>control</c>: the control block). Publishing is refused while any document has one.</param>
public sealed record SchoolDocumentPreview(Guid SchoolId, string SchoolName, string Markdown, IReadOnlyList<UnsetPlaceholder> Unset);

/// <summary>The trust's own document as it would render now.</summary>
public sealed record TrustDocumentPreview(string Markdown, IReadOnlyList<UnsetPlaceholder> Unset);

/// <param name="Publishable">True when neither the trust's document nor any school's would render an unset value.</param>
public sealed record DocumentPreviewResponse(bool Publishable, TrustDocumentPreview Trust, IReadOnlyList<SchoolDocumentPreview> Schools);

/// <summary>Every document rendered from the trust's current configuration: what the preview shows and what publishing checks.</summary>
public static class DocumentPreview
{
    /// <summary>The rule a 422 names when publishing would put "[not set]" in a document.</summary>
    public const string NothingUnsetRule = "nothing-unset";

    public static async Task<DocumentPreviewResponse> ForTrustAsync(PolicyDbContext db, CancellationToken cancellationToken)
    {
        var trust = await db.Trusts.AsNoTracking().SingleAsync(cancellationToken);
        var trustDocument = await SchoolDocuments.RenderTrustAsync(db, trust.Name, cancellationToken);
        var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var previews = new List<SchoolDocumentPreview>(schools.Count);
        foreach (var school in schools)
        {
            var rendered = await SchoolDocuments.RenderAsync(db, school, cancellationToken);
            previews.Add(new SchoolDocumentPreview(school.Id, school.Name, rendered.Markdown, rendered.Unset));
        }

        return new DocumentPreviewResponse(
            trustDocument.Unset.Count == 0 && previews.All(p => p.Unset.Count == 0), new TrustDocumentPreview(trustDocument.Markdown, trustDocument.Unset), previews);
    }

    /// <summary>
    /// One error per document and section, naming the settings: <c>schools/{schoolId}/sections/{section}</c> or
    /// <c>trust/sections/{section}</c>, so a console can point at the document and the section to fill.
    /// </summary>
    public static FieldErrors Errors(DocumentPreviewResponse preview)
    {
        var errors = new FieldErrors();
        void Add(string prefix, string who, IEnumerable<UnsetPlaceholder> unset)
        {
            foreach (var section in unset.GroupBy(u => u.SectionId))
            {
                errors.Add($"{prefix}/sections/{section.Key}",
                    $"{who}: {string.Join(", ", section.Select(u => u.Key))} would render unset; set a value for the school or in the baseline.");
            }
        }

        Add("trust", "The trust's document", preview.Trust.Unset);
        foreach (var school in preview.Schools)
        {
            Add($"schools/{school.SchoolId}", school.SchoolName, school.Unset);
        }

        return errors;
    }
}
