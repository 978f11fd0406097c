using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Domain.BlockedContent;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.Policy.Infrastructure;
using SiteFeed = Trust.Platform.Policy.Domain.BlockedContent.BlockedSites;

namespace Trust.Platform.Policy.Features.BlockedSites;

/// <summary>A school's blocked sites and allowances, read once for the feed and for access requests.</summary>
public static class SchoolFeed
{
    public const string BlockedSitesKey = "blocked_sites";

    /// <summary>The school's feed at <paramref name="now"/>: its effective blocked sites, and the approved requests in force.</summary>
    public static async Task<IReadOnlyList<FeedEntry>> EntriesAsync(PolicyDbContext db, Guid schoolId, DateTimeOffset now, CancellationToken ct)
    {
        var blocked = (await PolicyState.EffectiveAsync(db, schoolId, ct)).Single(s => s.Key == BlockedSitesKey);
        var allowances = await db.BlockedContentRequests.AsNoTracking().Where(r => r.SchoolId == schoolId).Where(AccessRequestRules.Allowing(now)).ToListAsync(ct);
        return SiteFeed.Compose(Items(blocked.Value), Items(blocked.TrustValue), allowances.Select(AccessRequestRules.ToAllowance), now);
    }

    /// <summary>Whether the school blocks <paramref name="site"/>: the host or a domain it is under (a filter's block of a domain covers its subdomains).</summary>
    public static async Task<bool> BlocksAsync(PolicyDbContext db, Guid schoolId, string site, CancellationToken ct)
    {
        var blocked = (await PolicyState.EffectiveAsync(db, schoolId, ct)).Single(s => s.Key == BlockedSitesKey);
        return Items(blocked.Value).Select(SiteFeed.Normalise).OfType<string>()
            .Any(d => site == d || site.EndsWith("." + d, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Items(JsonNode? list) =>
        (list as JsonArray ?? []).Select(i => i?.GetValueKind() == System.Text.Json.JsonValueKind.String ? i.GetValue<string>() : null).OfType<string>();
}
