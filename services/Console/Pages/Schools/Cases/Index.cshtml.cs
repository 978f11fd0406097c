using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Incidents.Models;
using Trust.Platform.Console.Forms;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.Cases;

/// <summary>
/// A school's cases as the API lists them for this person: the console never filters out or adds a case, so a
/// restricted case appears only because the API shows it to the DSL. Overdue cases come first (000 l.102).
/// </summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public string SchoolName { get; private set; } = "";

    /// <summary>The school's IANA zone: the list's times are the school's.</summary>
    public string? SchoolTimeZone { get; private set; }

    /// <summary>The overdue cases, above the list on its first page (the API lists by filing order).</summary>
    public IReadOnlyList<CaseSummary> OverdueFirst { get; private set; } = [];

    public bool MoreOverdue { get; private set; }

    public IReadOnlyList<CaseSummary> Cases { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The school first: another school's (or trust's) id is the API's 404, which the console shows as its own.
        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        var cases = api.Incidents.V1.Schools[SchoolId].Cases;
        var page = await cases.GetAsync(c =>
        {
            c.QueryParameters.Limit = PageSize;
            c.QueryParameters.Status = Status is { Length: > 0 } ? Status : null;
            c.QueryParameters.Type = Type is { Length: > 0 } ? Type : null;
            c.QueryParameters.Overdue = Overdue ? true : null;
            c.QueryParameters.Cursor = Cursor is { Length: > 0 } ? Cursor : null;
        }, ct);
        Cases = page?.Items ?? [];
        NextCursor = page?.NextCursor;
        if (!Overdue && Cursor is not { Length: > 0 } && Status != "closed")
        {
            var overdue = await cases.GetAsync(c =>
            {
                c.QueryParameters.Limit = PageSize;
                c.QueryParameters.Type = Type is { Length: > 0 } ? Type : null;
                c.QueryParameters.Overdue = true;
            }, ct);
            OverdueFirst = overdue?.Items ?? [];
            MoreOverdue = overdue?.NextCursor is { Length: > 0 };
        }
    }

    /// <summary>The same filters with another cursor: the next page's link.</summary>
    public string Link(string? cursor) =>
        Links.To($"/schools/{SchoolId}/cases", [("status", Status), ("type", Type), ("overdue", Overdue ? "true" : null), ("cursor", cursor)]);
}
