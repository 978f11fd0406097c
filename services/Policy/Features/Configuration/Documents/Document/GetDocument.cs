using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;

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
            "The template the school's `document.template` setting names, rendered with the school's effective values and amended sections, under its document control block (version and date, owner, " +
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

        var markdown = (await SchoolDocuments.RenderAsync(db, school, ct)).Markdown;
        if (query.Format != "html")
        {
            return TypedResults.Text(markdown, Markdown + "; charset=utf-8");
        }

        HttpContext.Response.Headers.ContentSecurityPolicy = PolicyDocument.ContentSecurityPolicy;
        // The page's URL names the school; a link out of it need not say so.
        HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(PolicyDocument.RenderHtml($"{school.Name} Social Media Policy", markdown), Html + "; charset=utf-8");
    }
}

public sealed class GetDocumentValidator : Validator<GetDocumentQuery>
{
    public GetDocumentValidator() =>
        RuleFor(x => x.Format).MaximumLength(8).Matches("^(markdown|html)$").WithMessage("Must be markdown or html.");
}
