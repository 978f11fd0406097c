using Trust.Platform.Client.Policy;
using Trust.Platform.Client.Policy.Models;

namespace Trust.Platform.Console.Gateway;

public static class Schools
{
    /// <summary>Every school the caller may see (Policy's list, a page of its largest at a time through the cursor).</summary>
    public static async Task<List<SchoolResponse>> AllAsync(PolicyClient policy, CancellationToken ct)
    {
        var (all, _) = await Cursors.ReadAsync(async cursor =>
        {
            var page = await policy.V1.Schools.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items, page?.NextCursor);
        });
        return [.. all.Where(s => s.Id is not null)];
    }
}
