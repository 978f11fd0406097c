using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Accounts.Models;
using Trust.Platform.Console.Forms;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.Applications;

/// <summary>
/// The school's account applications as Accounts lists them for this person (the register's managers see their schools'
/// applications), oldest first, page by page with the API's cursor: those awaiting a decision by default, or those
/// approved or refused, with who made the last decision and when.
/// </summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary><c>pending</c> (the default), <c>approved</c> or <c>rejected</c>: the API lists one status at a time.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>The lists the page offers, each with its tab's words and the caption of its table.</summary>
    public static IReadOnlyList<(string Value, string Tab, string Caption)> Statuses { get; } =
    [
        ("pending", "Awaiting a decision", "Awaiting a decision"),
        ("approved", "Approved", "Approved: on the register"),
        ("rejected", "Refused", "Refused"),
    ];

    /// <summary>The list shown: an unknown value reads as the default rather than a 400 from the API.</summary>
    public string Shown => Statuses.Any(s => s.Value == Status) ? Status! : "pending";

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
            c.QueryParameters.Status = Shown;
            c.QueryParameters.Limit = PageSize;
            c.QueryParameters.Cursor = Cursor is { Length: > 0 } ? Cursor : null;
        }, ct);
        Applications = page?.Items ?? [];
        NextCursor = page?.NextCursor;
    }

    /// <summary>The last decision on an application (the refusal, or the final approval), for a decided list.</summary>
    public static DecisionResponse? LastDecision(ApplicationResponse application) =>
        application.Decisions?.OrderBy(d => d.Step).ThenBy(d => d.DecidedAt).LastOrDefault();

    public string Link(string? cursor, string? status = null) =>
        Links.To($"/schools/{SchoolId}/applications", [("status", (status ?? Shown) is var shown && shown != "pending" ? shown : null), ("cursor", cursor)]);
}
