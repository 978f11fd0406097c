using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Accounts.Models;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.Applications;

/// <summary>
/// The school's account applications awaiting a decision, as Accounts lists them for this person (the register's
/// managers see their schools' applications), oldest first, page by page with the API's cursor.
/// </summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public string SchoolName { get; private set; } = "";

    /// <summary>The school's IANA zone: the page's times are the school's.</summary>
    public string? SchoolTimeZone { get; private set; }

    public IReadOnlyList<ApplicationResponse> Applications { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The school first: another school's (or trust's) id is the API's 404, which the console shows as its own. The list
        // alone would not say so: Accounts answers another school's filter with an empty page.
        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        var page = await api.Accounts.V1.Applications.GetAsync(c =>
        {
            c.QueryParameters.SchoolId = SchoolId;
            c.QueryParameters.Status = "pending";
            c.QueryParameters.Limit = PageSize;
            c.QueryParameters.Cursor = Cursor is { Length: > 0 } ? Cursor : null;
        }, ct);
        Applications = page?.Items ?? [];
        NextCursor = page?.NextCursor;
    }

    public string Link(string? cursor) =>
        $"/schools/{SchoolId}/applications" + (cursor is { Length: > 0 } ? "?cursor=" + Uri.EscapeDataString(cursor) : "");
}
