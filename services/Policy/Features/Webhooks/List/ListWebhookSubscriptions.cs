using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Webhooks.List;

public sealed class ListWebhookSubscriptions(PolicyDbContext db) : PlatformEndpoint<PageQuery, Results<Ok<Page<WebhookSubscriptionResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/webhooks");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Webhooks", "List the trust's webhook subscriptions",
            "Trust admins only: every subscription of the trust, disabled ones included, ordered by id and cursor-paginated; never a secret.");
    }

    public override async Task<Results<Ok<Page<WebhookSubscriptionResponse>>, ProblemHttpResult>> ExecuteAsync(PageQuery page, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(page.Limit, page.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var rows = await db.WebhookSubscriptions.AsNoTracking().TakePageAsync(after, size, ct);
        return TypedResults.Ok(Paging.Build(rows, size, WebhookSubscriptionResponse.From));
    }
}
