using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Forms;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.BlockedSites;

/// <summary>
/// The school's requests to reach a blocked site (002 Appendix A), as Policy lists them for this person: the headteacher,
/// DSL, ICT technician and the trust's admins see every request, anyone else in the school their own. Awaiting a decision
/// first (the approver's queue), or those approved or refused; oldest first, page by page with the API's cursor.
/// </summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>The lists the page offers: the API lists one status at a time.</summary>
    public static IReadOnlyList<(string Value, string Tab)> Statuses { get; } = [("pending", "Awaiting a decision"), ("approved", "Approved"), ("refused", "Refused")];

    public string Shown => Statuses.Any(s => s.Value == Status) ? Status! : "pending";

    public string SchoolName { get; private set; } = "";

    public string? SchoolTimeZone { get; private set; }

    public IReadOnlyList<AccessRequestResponse> Requests { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The school first: another school's (or trust's) id is the API's 404, which the console shows as its own.
        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        var page = await api.Policy.V1.Schools[SchoolId].BlockedSites.AccessRequests.GetAsync(c =>
        {
            c.QueryParameters.Status = Shown;
            c.QueryParameters.Limit = PageSize;
            c.QueryParameters.Cursor = Cursor is { Length: > 0 } ? Cursor : null;
        }, ct);
        Requests = page?.Items ?? [];
        NextCursor = page?.NextCursor;
    }

    public string Link(string? cursor, string? status = null) =>
        Links.To($"/schools/{SchoolId}/blocked-sites", [("status", (status ?? Shown) is var shown && shown != "pending" ? shown : null), ("cursor", cursor)]);
}
