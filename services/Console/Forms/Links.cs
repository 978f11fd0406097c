namespace Trust.Platform.Console.Forms;

/// <summary>The console's one way of writing a list page's link: its path and the query values that are set, escaped.</summary>
public static class Links
{
    /// <summary><paramref name="path"/> with each <paramref name="query"/> value that is not empty (in order), then <paramref name="fragment"/>.</summary>
    public static string To(string path, IEnumerable<(string Name, string? Value)> query, string? fragment = null)
    {
        var set = query.Where(q => q.Value is { Length: > 0 }).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}").ToList();
        return path + (set.Count > 0 ? "?" + string.Join('&', set) : "") + (fragment is null ? "" : "#" + fragment);
    }
}

/// <summary>The model of <c>_CursorPages</c>: the first page's link when this is not it, the next page's when there is one, and what is paged.</summary>
public sealed record CursorPages(string? First, string? Next, string Of);

/// <summary>The model of <c>_StatusTabs</c>: the lists a page offers (one status at a time, as the API lists them), each with its link, and the one shown.</summary>
public sealed record StatusTabs(string Label, IReadOnlyList<(string Value, string Text, string Link)> Tabs, string Shown);
