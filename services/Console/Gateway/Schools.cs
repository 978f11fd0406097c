using Trust.Platform.Client.Policy;
using Trust.Platform.Client.Policy.Models;

namespace Trust.Platform.Console.Gateway;

public static class Schools
{
    /// <summary>Every school the caller may see (Policy's list, a page of its largest at a time through the cursor).</summary>
    public static async Task<List<SchoolResponse>> AllAsync(PolicyClient policy, CancellationToken ct)
    {
        var all = new List<SchoolResponse>();
        string? cursor = null;
        do
        {
            var page = await policy.V1.Schools.GetAsync(c => { c.QueryParameters.Limit = 200; c.QueryParameters.Cursor = cursor; }, ct);
            all.AddRange((page?.Items ?? []).Where(s => s.Id is not null));
            cursor = page?.NextCursor;
        }
        while (cursor is not null);

        return all;
    }
}
