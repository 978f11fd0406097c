using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Templates.Get;

public sealed class GetTemplateQuery
{
    /// <summary>The template's key, e.g. <c>swgfl-school</c>.</summary>
    public string Key { get; init; } = "";
}

/// <summary>One template of the trust's library, with its sections and ETag.</summary>
public sealed class GetTemplate(PolicyDbContext db) : PlatformEndpoint<GetTemplateQuery, Results<Ok<DocumentTemplateResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/policy/templates/{key}");
        Allow(RoleSets.TrustReaders, Scope.PolicyRead);
        Document("Policy documents", "Read a document template",
            "The template's Markdown (the built-in text until the trust saves its own), its sections and what a school may do with each (keep it, write its own " +
            "text, or add sections of its own at an additions point), with its ETag to send when replacing it. A key the library does not have is a 404.");
    }

    public override async Task<Results<Ok<DocumentTemplateResponse>, NotFound>> ExecuteAsync(GetTemplateQuery query, CancellationToken ct)
    {
        if (await SchoolDocuments.FindAsync(db, query.Key, ct) is not { } template)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(HttpContext.Response, template.Version);
        return TypedResults.Ok(DocumentTemplateResponse.From(template));
    }
}

public sealed class GetTemplateValidator : Validator<GetTemplateQuery>
{
    public GetTemplateValidator() =>
        RuleFor(x => x.Key).NotEmpty().MaximumLength(50).Matches(TemplateKeyRules.Pattern).WithMessage(TemplateKeyRules.Message);
}
