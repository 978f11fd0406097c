using System.Globalization;
using System.Text.Json.Nodes;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Features.Configuration.Reviews;
using Trust.Platform.Policy.Infrastructure;
using TrustPolicyDocument = Trust.Platform.Policy.Documents.TrustDocument;

namespace Trust.Platform.Policy.Features.Configuration.Documents.TrustDocument;

public sealed class GetTrustDocumentQuery
{
    /// <summary><c>markdown</c> or <c>html</c>; without it the Accept header decides (Markdown unless it prefers <c>text/html</c>).</summary>
    public string? Format { get; init; }
}

/// <summary>The trust's own policy (002) rendered with the trust's baseline: Markdown, or print-ready HTML.</summary>
public sealed class GetTrustDocument(PolicyDbContext db) : PlatformEndpoint<GetTrustDocumentQuery, Results<ContentHttpResult, NotFound>>
{
    private const string Markdown = "text/markdown";
    private const string Html = "text/html";

    public override void Configure()
    {
        Get("/v1/policy/document");
        Allow(RoleSets.TrustReaders, Scope.PolicyRead);
        Document("Policy documents", "Read the trust's own policy document",
            "The trust's social media policy (002: statement of intent, roles and responsibilities, sections 1 to 9, Appendices A, B and C as blank forms) " +
            "rendered with the trust's baseline values, under its document control block (version and date, prepared by, the trust's approval, next review, " +
            "version history). Markdown by default; `text/html` (an `Accept` header preferring it, or `format=html`) answers one print-ready A4 page with a " +
            "Content-Security-Policy that allows no script and only the page's own style block. Every value reads as text. The caller's own trust only: " +
            "there is no other trust's document to read (404). Errors are `application/problem+json`.");
        Description(b => b.Produces<string>(StatusCodes.Status200OK, Markdown, Html));
    }

    public override async Task<Results<ContentHttpResult, NotFound>> ExecuteAsync(GetTrustDocumentQuery query, CancellationToken ct)
    {
        var trust = await db.Trusts.AsNoTracking().SingleOrDefaultAsync(ct);
        if (trust is null)
        {
            return TypedResults.NotFound();
        }

        var markdown = (await SchoolDocuments.RenderTrustAsync(db, trust.Name, ct)).Markdown;
        if (!WantsHtml(query.Format, HttpContext.Request.Headers.Accept))
        {
            return TypedResults.Text(markdown, Markdown + "; charset=utf-8");
        }

        HttpContext.Response.Headers.ContentSecurityPolicy = PolicyDocument.ContentSecurityPolicy;
        HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(PolicyDocument.RenderHtml($"{trust.Name} Social Media Policy", markdown), Html + "; charset=utf-8");
    }

    /// <summary>An explicit format wins; otherwise HTML only when the Accept header rates <c>text/html</c> above <c>text/markdown</c> (RFC 9110 section 12.5.1).</summary>
    public static bool WantsHtml(string? format, IEnumerable<string?> accept)
    {
        if (format is not null)
        {
            return format == "html";
        }

        return Negotiation.Prefers(accept, Html, Markdown);
    }
}

public sealed class GetTrustDocumentValidator : Validator<GetTrustDocumentQuery>
{
    public GetTrustDocumentValidator() =>
        RuleFor(x => x.Format).MaximumLength(8).Matches("^(markdown|html)$").WithMessage("Must be markdown or html.");
}
