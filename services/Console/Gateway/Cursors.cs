namespace Trust.Platform.Console.Gateway;

/// <summary>The console's one way of reading a list the API pages with a cursor, to its end or to a cap.</summary>
public static class Cursors
{
    /// <summary>The API's largest page: lists read whole are read in as few round trips as it allows.</summary>
    public const int LargestPage = 200;

    /// <summary>
    /// Every item of a cursor-paged list, from <paramref name="page"/> (given the cursor, null first; returns a page's items
    /// and the next cursor), until the API gives no cursor or <paramref name="cap"/> items are read. <c>Capped</c> says that
    /// more remained, for a page that must say it shows only the first ones.
    /// </summary>
    public static async Task<(List<T> Items, bool Capped)> ReadAsync<T>(Func<string?, Task<(List<T>? Items, string? Next)>> page, int cap = int.MaxValue)
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var (items, next) = await page(cursor);
            all.AddRange(items ?? []);
            cursor = next;
        }
        while (cursor is not null && all.Count < cap);

        return (all, cursor is not null);
    }
}
