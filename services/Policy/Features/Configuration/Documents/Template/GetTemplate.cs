using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Template;

public sealed class GetTemplate(PolicyDbContext db) : PlatformEndpoint<Ok<TemplateResponse>>
{
    public override void Configure()
    {
        Get("/v1/policy/template");
        Allow(RoleSets.TrustReaders, Scope.PolicyRead);
        Document("Policy documents", "Read the trust's policy template",
            "The Markdown every school's document is rendered from (the platform's default until the trust saves its own), its sections and which of " +
            "them schools may amend, with its ETag.");
    }

    public override async Task<Ok<TemplateResponse>> ExecuteAsync(CancellationToken ct)
    {
        var policy = await db.TrustPolicies.AsNoTracking().SingleOrDefaultAsync(ct);
        var version = policy?.TemplateVersion ?? 0;
        ETags.Set(HttpContext.Response, version);
        return TypedResults.Ok(TemplateResponse.From(version, policy?.Template ?? PolicyDocument.DefaultTemplate));
    }
}
