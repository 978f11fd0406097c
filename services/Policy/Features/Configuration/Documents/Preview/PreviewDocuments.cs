using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Preview;

/// <summary>What every school's document would render from the trust's configuration now, and what in each would print unset.</summary>
public sealed class PreviewDocuments(PolicyDbContext db) : PlatformEndpoint<Ok<DocumentPreviewResponse>>
{
    public override void Configure()
    {
        Get("/v1/policy/documents/preview");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy documents", "Preview every school's document",
            "Renders each school's document (Markdown) from the baseline, the school's overrides and its amended sections as they stand, and lists every " +
            "value that would print as \"[not set]\": the section and the setting (or `control` for the owner and next review date). " +
            "`publishable` is false while any school has one (or the trust's own document, under `trust`), and publishing a version is refused (422, rule `nothing-unset`) until each is set.");
    }

    public override async Task<Ok<DocumentPreviewResponse>> ExecuteAsync(CancellationToken ct) =>
        TypedResults.Ok(await DocumentPreview.ForTrustAsync(db, ct));
}
