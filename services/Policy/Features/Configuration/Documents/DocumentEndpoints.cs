using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Documents;

public sealed record TemplateResponse(int Version, string Markdown, IReadOnlyList<TemplateSectionResponse> Sections);

public sealed record TemplateSectionResponse(string Id, string Heading, bool Amendable);

public static class GetTemplate
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/policy/template", Handle).RequireAccess(ConfigurationAccess.TrustReaders, Scopes.PolicyRead).WithTags("Policy documents").WithName("GetTemplate");

    public static async Task<Ok<TemplateResponse>> Handle(HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        var policy = await db.TrustPolicies.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var markdown = policy?.Template ?? PolicyDocument.DefaultTemplate;
        var version = policy?.TemplateVersion ?? 0;
        ETags.Set(http.Response, version);
        return TypedResults.Ok(new TemplateResponse(version, markdown,
            PolicyDocument.Parse(markdown).Select(s => new TemplateSectionResponse(s.Id, s.Heading.TrimStart('#', ' '), s.Amendable)).ToList()));
    }
}

/// <summary>The trust replaces its template (Markdown with <c>{{setting.key}}</c> placeholders and marked sections).</summary>
public static class UpdateTemplate
{
    public sealed record Request(string Markdown);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/policy/template", Handle).RequireTrustWideAccess([Roles.TrustAdmin]).WithTags("Policy documents").WithName("UpdateTemplate");

    public static async Task<IResult> Handle(Request request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, policy.TemplateVersion) is { } precondition)
        {
            return precondition;
        }

        var errors = new FieldErrors().Required("markdown", request.Markdown, 500_000);
        foreach (var problem in errors.Any ? [] : PolicyDocument.Validate(request.Markdown, SettingCatalogue.ByKey.Keys.ToHashSet()))
        {
            errors.Add("markdown", problem);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        policy.Template = request.Markdown;
        policy.TemplateVersion++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, policy.TemplateVersion);
        return TypedResults.Ok(new TemplateResponse(policy.TemplateVersion, policy.Template,
            PolicyDocument.Parse(policy.Template).Select(s => new TemplateSectionResponse(s.Id, s.Heading.TrimStart('#', ' '), s.Amendable)).ToList()));
    }
}

/// <summary>A school writes its own text for a section the trust marks amendable; any other section is a 422.</summary>
public static class AmendSection
{
    public sealed record Request(string Markdown);

    public sealed record Response(string SectionId, string Markdown, bool NeedsReview, int Version);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/schools/{schoolId:guid}/policy/sections/{sectionId}", Handle).RequireAccess(ConfigurationAccess.SchoolEditors).WithTags("Policy documents").WithName("AmendSection");

    public static async Task<IResult> Handle(
        Guid schoolId, string sectionId, Request request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, ConfigurationAccess.SchoolEditors) || !await db.Schools.AnyAsync(s => s.Id == schoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureSchoolPolicyAsync(db, schoolId, now, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, db.Entry(policy).State == EntityState.Added ? 0 : policy.Version) is { } precondition)
        {
            return precondition;
        }

        var template = await db.TrustPolicies.Select(p => p.Template).SingleOrDefaultAsync(cancellationToken) ?? PolicyDocument.DefaultTemplate;
        var section = PolicyDocument.Parse(template).SingleOrDefault(s => s.Id == sectionId);
        if (section is null)
        {
            return TypedResults.NotFound();
        }

        if (!section.Amendable)
        {
            return ConfigurationAccess.RuleViolation($"section:{sectionId}", "locked", null, "the trust does not let schools amend this section");
        }

        var errors = new FieldErrors().Required("markdown", request.Markdown, 50_000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var amendment = await db.SectionAmendments.SingleOrDefaultAsync(a => a.SchoolId == schoolId && a.SectionId == sectionId, cancellationToken);
        if (amendment is null)
        {
            amendment = new SectionAmendment { TrustId = policy.TrustId, SchoolId = schoolId, SectionId = sectionId };
            db.SectionAmendments.Add(amendment);
        }

        amendment.Markdown = request.Markdown.Trim();
        amendment.NeedsReview = false;
        amendment.UpdatedAt = now;
        amendment.UpdatedBy = http.Principal().Subject;
        policy.Version++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, policy.Version);
        return TypedResults.Ok(new Response(sectionId, amendment.Markdown, false, policy.Version));
    }
}

/// <summary>The school's policy document: Markdown, or print-ready HTML with <c>?format=html</c>.</summary>
public static class GetDocument
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/policy/document", Handle).RequireAccess(ConfigurationAccess.SchoolReaders, Scopes.PolicyRead)
            .WithTags("Policy documents").WithName("GetDocument")
            .Produces<string>(StatusCodes.Status200OK, "text/markdown", "text/html");

    public static async Task<IResult> Handle(Guid schoolId, string? format, HttpContext http, PolicyDbContext db, CancellationToken cancellationToken)
    {
        if (format is not (null or "markdown" or "html"))
        {
            return new FieldErrors().Add("format", "Must be markdown or html.").ToProblem();
        }

        if (!http.Principal().CanActForSchool(schoolId, ConfigurationAccess.SchoolReaders))
        {
            return TypedResults.NotFound();
        }

        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == schoolId, cancellationToken);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var markdown = await RenderAsync(db, school, cancellationToken);
        if (format != "html")
        {
            return TypedResults.Text(markdown, "text/markdown; charset=utf-8");
        }

        http.Response.Headers.ContentSecurityPolicy = PolicyDocument.ContentSecurityPolicy;
        // The page's URL names the school; a link out of it need not say so.
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(PolicyDocument.RenderHtml($"{school.Name} Social Media Policy", markdown), "text/html; charset=utf-8");
    }

    public static async Task<string> RenderAsync(PolicyDbContext db, School school, CancellationToken cancellationToken)
    {
        var trust = await db.Trusts.AsNoTracking().SingleAsync(cancellationToken);
        var template = await db.TrustPolicies.AsNoTracking().Select(p => p.Template).SingleOrDefaultAsync(cancellationToken) ?? PolicyDocument.DefaultTemplate;
        var effective = (await PolicyState.EffectiveAsync(db, school.Id, cancellationToken)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var amendments = await db.SectionAmendments.AsNoTracking().Where(a => a.SchoolId == school.Id).ToDictionaryAsync(a => a.SectionId, a => a.Markdown, cancellationToken);
        var versions = await db.PolicyVersions.AsNoTracking().Where(v => v.PublishedAt != null).OrderBy(v => v.Major).ThenBy(v => v.Minor).ToListAsync(cancellationToken);
        var current = versions.LastOrDefault();
        var control = new DocumentControl(
            school.Name, trust.Name, current?.Label, current is null ? null : DateOnly.FromDateTime(current.PublishedAt!.Value.UtcDateTime),
            Text(effective["document.owner"]), current?.ApprovedByBody is null ? null : $"{current.ApprovedByBody} ({current.ApprovedByName})",
            current?.ApprovedOn, Date(effective["review.next_review_date"]),
            versions.Select(v => new VersionHistoryEntry(v.Label, DateOnly.FromDateTime(v.PublishedAt!.Value.UtcDateTime), v.ApprovedByBody, v.Summary)).ToList());
        return PolicyDocument.RenderMarkdown(control, PolicyDocument.RenderBody(template, school.Name, trust.Name, effective, amendments));
    }

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static DateOnly? Date(JsonNode? node) => node is null ? null : DateOnly.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
