using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Templates.List;

/// <summary>The trust's library of document templates.</summary>
public sealed class ListTemplates(PolicyDbContext db) : PlatformEndpoint<Ok<IReadOnlyList<DocumentTemplateSummary>>>
{
    public override void Configure()
    {
        Get("/v1/policy/templates");
        Allow(RoleSets.TrustReaders, Scope.PolicyRead);
        Document("Policy documents", "List the trust's document templates",
            "Every template of the trust's library: the platform's built-in ones (`swgfl-school` from the SWGfL-style policies of Old Basford, Mellers and " +
            "Brierley Hill; `kcsie-school` from Newbury's KCSIE-style policy), each the trust's own copy once it saved one. A school's document is rendered " +
            "from the template its `document.template` setting names. A short fixed list, not paged.");
    }

    public override async Task<Ok<IReadOnlyList<DocumentTemplateSummary>>> ExecuteAsync(CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<DocumentTemplateSummary>>((await SchoolDocuments.LibraryAsync(db, ct)).Select(DocumentTemplateSummary.From).ToList());
}
