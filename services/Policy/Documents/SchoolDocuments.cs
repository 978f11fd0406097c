using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Domain.SchoolApprovals;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.Policy.Features.Configuration.Reviews;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Documents;

/// <summary>A rendered document (a school's or the trust's) and every placeholder in it that had no value (section id, placeholder key).</summary>
public sealed record RenderedDocument(string Markdown, IReadOnlyList<UnsetPlaceholder> Unset);

/// <summary>A template of the trust's library as it stands: the trust's own copy, or the built-in one (version 0).</summary>
public sealed record LibraryTemplate(string Key, TemplateKind Kind, string Name, string Markdown, int Version, bool Customised);

/// <summary>
/// The one place that finds a school's template and its inputs (effective settings, the school's own text, versions and
/// approvals) and renders its document: the document endpoint answers with it, and a check that nothing renders unset
/// reads <see cref="RenderedDocument.Unset"/> from it.
/// </summary>
public static class SchoolDocuments
{
    /// <summary>The setting that names a school's template.</summary>
    public const string TemplateKey = "document.template";

    /// <summary>The control block's unset values are listed under this section id.</summary>
    public const string ControlSection = "control";

    /// <summary>The trust's library: every built-in template, as the trust's copy where it saved one.</summary>
    public static async Task<IReadOnlyList<LibraryTemplate>> LibraryAsync(PolicyDbContext db, CancellationToken cancellationToken)
    {
        var saved = await db.DocumentTemplates.AsNoTracking().ToDictionaryAsync(t => t.Key, cancellationToken);
        return TemplateLibrary.BuiltIn.Select(b => saved.TryGetValue(b.Key, out var own)
            ? new LibraryTemplate(b.Key, b.Kind, own.Name, own.Markdown, own.Version, true)
            : new LibraryTemplate(b.Key, b.Kind, b.Name, b.Markdown, 0, false)).ToList();
    }

    public static async Task<LibraryTemplate?> FindAsync(PolicyDbContext db, string key, CancellationToken cancellationToken)
    {
        if (TemplateLibrary.Find(key) is not { } builtIn)
        {
            return null;
        }

        var own = await db.DocumentTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Key == key, cancellationToken);
        return own is null
            ? new LibraryTemplate(builtIn.Key, builtIn.Kind, builtIn.Name, builtIn.Markdown, 0, false)
            : new LibraryTemplate(builtIn.Key, builtIn.Kind, own.Name, own.Markdown, own.Version, true);
    }

    /// <summary>The Markdown of the template the school's <c>document.template</c> setting names.</summary>
    public static async Task<string> TemplateForAsync(PolicyDbContext db, IReadOnlyDictionary<string, JsonNode?> effective, CancellationToken cancellationToken)
    {
        var key = effective.GetValueOrDefault(TemplateKey)?.GetValue<string>() ?? TemplateLibrary.SwgflSchool;
        return (await FindAsync(db, key, cancellationToken) ?? await FindAsync(db, TemplateLibrary.SwgflSchool, cancellationToken))!.Markdown;
    }

    public static async Task<string> TemplateForAsync(PolicyDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var settings = await PolicyState.EffectiveAsync(db, schoolId, cancellationToken);
        return await TemplateForAsync(db, settings.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), cancellationToken);
    }

    public static async Task<RenderedDocument> RenderAsync(PolicyDbContext db, School school, CancellationToken cancellationToken)
    {
        var trust = await db.Trusts.AsNoTracking().SingleAsync(cancellationToken);
        var settings = await PolicyState.EffectiveAsync(db, school.Id, cancellationToken);
        var effective = settings.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var template = await TemplateForAsync(db, effective, cancellationToken);
        var amendments = await db.SectionAmendments.AsNoTracking().Where(a => a.SchoolId == school.Id).ToDictionaryAsync(a => a.SectionId, a => a.Markdown, cancellationToken);
        var versions = await db.PolicyVersions.AsNoTracking().Where(v => v.PublishedAt != null).OrderBy(v => v.Major).ThenBy(v => v.Minor).ToListAsync(cancellationToken);
        var approvals = await db.SchoolApprovals.AsNoTracking().Where(a => a.SchoolId == school.Id).ToDictionaryAsync(a => a.VersionId, cancellationToken);
        var current = versions.LastOrDefault();
        // A minor version needs no approval of its own: the document shows the approval of the major version it belongs to.
        var approved = versions.LastOrDefault(v => v.ApprovedOn is not null);
        var schoolApproval = current is null ? null : approvals.GetValueOrDefault(current.Id);
        var latestApproval = approvals.Values.OrderByDescending(a => a.ApprovedOn).FirstOrDefault();
        var review = settings.Single(e => e.Key == PolicyReviews.ReviewDateKey);
        var reviewDate = SchoolApprovalRules.ReviewDate(
            review.Source == PolicyMerge.FromSchool ? Date(review.Value) : null, latestApproval?.NextReviewOn, Date(review.Value));
        var owner = Text(effective["document.owner"]);
        var control = new DocumentControl(
            school.Name, trust.Name, current?.Label, current is null ? null : DateOnly.FromDateTime(current.PublishedAt!.Value.UtcDateTime),
            owner, approved?.ApprovedByBody is null ? null : $"{approved.ApprovedByBody} ({approved.ApprovedByName})",
            approved?.ApprovedOn, reviewDate, History(versions, approvals, school.Name),
            schoolApproval is null ? null : $"{schoolApproval.ApprovingBody} ({schoolApproval.ApproverName})", schoolApproval?.ApprovedOn);
        var body = PolicyDocument.RenderBody(template, school.Name, trust.Name, effective, amendments);
        var unset = new List<UnsetPlaceholder>();
        if (string.IsNullOrWhiteSpace(owner))
        {
            unset.Add(new UnsetPlaceholder(ControlSection, "document.owner"));
        }

        if (reviewDate is null)
        {
            unset.Add(new UnsetPlaceholder(ControlSection, PolicyReviews.ReviewDateKey));
        }

        return new RenderedDocument(PolicyDocument.RenderMarkdown(control, body.Markdown), [.. unset, .. body.Unset]);
    }

    /// <summary>
    /// The trust's own document (002) from the trust's copy of the trust template, with its baseline values; the control
    /// block leaves out a row with no value, so only the body's placeholders can render unset.
    /// </summary>
    public static async Task<RenderedDocument> RenderTrustAsync(PolicyDbContext db, string trustName, CancellationToken cancellationToken)
    {
        var baseline = await PolicyState.BaselineAsync(db, cancellationToken);
        var values = baseline.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal);
        var versions = await db.PolicyVersions.AsNoTracking().Where(v => v.PublishedAt != null).OrderBy(v => v.Major).ThenBy(v => v.Minor).ToListAsync(cancellationToken);
        var current = versions.LastOrDefault();
        var approved = versions.LastOrDefault(v => v.ApprovedOn is not null);
        var template = (await FindAsync(db, TrustDocument.TemplateName, cancellationToken))!.Markdown;
        var control = new TrustDocumentControl(
            trustName, current?.Label, current is null ? null : DateOnly.FromDateTime(current.PublishedAt!.Value.UtcDateTime),
            Text(values["document.owner"]), approved?.ApprovedByBody is null ? null : $"{approved.ApprovedByBody} ({approved.ApprovedByName})",
            approved?.ApprovedOn, Date(values[PolicyReviews.ReviewDateKey]),
            [.. versions.Select(v => new VersionHistoryEntry(v.Label, DateOnly.FromDateTime(v.PublishedAt!.Value.UtcDateTime), v.ApprovedByBody, v.Summary))]);
        var body = TrustDocument.RenderBody(template, trustName, values);
        return new RenderedDocument(TrustDocument.RenderMarkdown(control, body.Markdown), body.Unset);
    }

    /// <summary>The trust's published versions, each followed by the school's own approval of it when there is one.</summary>
    private static List<VersionHistoryEntry> History(IEnumerable<PolicyVersion> versions, IReadOnlyDictionary<Guid, SchoolApproval> approvals, string schoolName)
    {
        var history = new List<VersionHistoryEntry>();
        foreach (var v in versions)
        {
            history.Add(new VersionHistoryEntry(v.Label, DateOnly.FromDateTime(v.PublishedAt!.Value.UtcDateTime), v.ApprovedByBody, v.Summary));
            if (approvals.TryGetValue(v.Id, out var a))
            {
                history.Add(new VersionHistoryEntry(v.Label, a.ApprovedOn, $"{a.ApprovingBody} ({a.ApproverName})", $"Approved by {schoolName}"));
            }
        }

        return history;
    }

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static DateOnly? Date(JsonNode? node) => node is null ? null : DateOnly.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture);
}
