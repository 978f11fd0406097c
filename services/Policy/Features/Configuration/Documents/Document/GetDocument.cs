using System.Text.Json.Nodes;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Domain.SchoolApprovals;
using Trust.Platform.Policy.Features.Configuration.Reviews;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Document;

public sealed class GetDocumentQuery
{
    public Guid SchoolId { get; init; }

    /// <summary><c>markdown</c> (the default) or <c>html</c> (one print-ready page).</summary>
    public string? Format { get; init; }
}

/// <summary>The school's policy document: Markdown, or print-ready HTML with <c>?format=html</c>.</summary>
public sealed class GetDocument(PolicyDbContext db) : PlatformEndpoint<GetDocumentQuery, Results<ContentHttpResult, NotFound>>
{
    public const string Markdown = "text/markdown";
    public const string Html = "text/html";

    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/policy/document");
        Allow(RoleSets.AnyoneInSchool, Scope.PolicyRead);
        Document("Policy documents", "Read a school's policy document",
            "The trust's template rendered with the school's effective values and amended sections, under its document control block (version and date, owner, " +
            "approval, next review, version history). `format=markdown` (the default) answers `text/markdown`; `format=html` answers one print-ready A4 page as " +
            "`text/html` with a Content-Security-Policy that allows no script and only the page's own style block. Every stored value reads as text in both: " +
            "raw HTML and links other than http, https and mailto stay literal. Errors are `application/problem+json`.");
        Description(b => b.Produces<string>(StatusCodes.Status200OK, Markdown, Html));
    }

    public override async Task<Results<ContentHttpResult, NotFound>> ExecuteAsync(GetDocumentQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == query.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var markdown = (await RenderAsync(db, school, ct)).Markdown;
        if (query.Format != "html")
        {
            return TypedResults.Text(markdown, Markdown + "; charset=utf-8");
        }

        HttpContext.Response.Headers.ContentSecurityPolicy = PolicyDocument.ContentSecurityPolicy;
        // The page's URL names the school; a link out of it need not say so.
        HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(PolicyDocument.RenderHtml($"{school.Name} Social Media Policy", markdown), Html + "; charset=utf-8");
    }

    /// <summary>The school's document as it renders now, and every value in it that would print unset.</summary>
    public static async Task<RenderedDocument> RenderAsync(PolicyDbContext db, School school, CancellationToken cancellationToken)
    {
        var trust = await db.Trusts.AsNoTracking().SingleAsync(cancellationToken);
        var template = await db.TrustPolicies.AsNoTracking().Select(p => p.Template).SingleOrDefaultAsync(cancellationToken) ?? PolicyDocument.DefaultTemplate;
        var settings = await PolicyState.EffectiveAsync(db, school.Id, cancellationToken);
        var effective = settings.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
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
        var control = new DocumentControl(
            school.Name, trust.Name, current?.Label, current is null ? null : DateOnly.FromDateTime(current.PublishedAt!.Value.UtcDateTime),
            Text(effective["document.owner"]), approved?.ApprovedByBody is null ? null : $"{approved.ApprovedByBody} ({approved.ApprovedByName})",
            approved?.ApprovedOn, reviewDate, History(versions, approvals, school.Name),
            schoolApproval is null ? null : $"{schoolApproval.ApprovingBody} ({schoolApproval.ApproverName})", schoolApproval?.ApprovedOn);
        var unset = new List<UnsetValue>();
        if (string.IsNullOrWhiteSpace(control.Owner))
        {
            unset.Add(new UnsetValue(UnsetValues.ControlSection, "document.owner"));
        }

        if (control.NextReviewDate is null)
        {
            unset.Add(new UnsetValue(UnsetValues.ControlSection, PolicyReviews.ReviewDateKey));
        }

        unset.AddRange(UnsetValues.Find(template, effective, amendments));
        return new RenderedDocument(PolicyDocument.RenderMarkdown(control, PolicyDocument.RenderBody(template, school.Name, trust.Name, effective, amendments)), unset);
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

    private static DateOnly? Date(JsonNode? node) => node is null ? null : DateOnly.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A school's document and what in it would print unset.</summary>
public sealed record RenderedDocument(string Markdown, IReadOnlyList<UnsetValue> Unset);

public sealed class GetDocumentValidator : Validator<GetDocumentQuery>
{
    public GetDocumentValidator() =>
        RuleFor(x => x.Format).MaximumLength(8).Matches("^(markdown|html)$").WithMessage("Must be markdown or html.");
}
