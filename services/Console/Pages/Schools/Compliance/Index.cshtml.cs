using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Training.Models;
using Trust.Platform.Console.Forms;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.Compliance;

/// <summary>
/// A school's training compliance as Training counts it (per requirement: done, due, overdue of the people it applies
/// to), then the people who are behind, page by page with the API's cursor. Who may read it is the API's decision: the
/// trust's admins every school, a headteacher their own; another school's is the console's 404 page.
/// </summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public const int PageSize = 25;

    /// <summary>The lists the people table offers: those behind (overdue, first and by default) and those with training due.</summary>
    /// <remarks>
    /// REVIEW: the API orders the list by person and pages it by a cursor on that order, so "overdue first" is the overdue
    /// list shown first (and alone); the console does not re-sort a page by days overdue, which would mislead across pages.
    /// The people list is for the school's leaders (headteacher, trust admins) while the figures are also the DSL's: a DSL
    /// opening this page gets the 404 page, so the start page links it for the headteacher and the CEO only.
    /// </remarks>
    public static IReadOnlyList<(string Value, string Text)> Shows { get; } = [("overdue", "Behind (overdue)"), ("due", "Due, not yet overdue")];

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    /// <summary><c>overdue</c> (the default) or <c>due</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Requirement { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public SchoolComplianceResponse Compliance { get; private set; } = new();

    public IReadOnlyList<PersonRequirementOutstanding> People { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool ShowsDue => Show == "due";

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The figures first: another school's (or trust's) id is the API's 404 or 403, which the console shows as its own 404.
        Compliance = await api.Training.V1.Schools[SchoolId].Compliance.GetAsync(cancellationToken: ct) ?? new();
        var requirement = Requirement is { Length: > 0 } r && Compliance.Requirements?.Any(c => c.Requirement == r) == true ? r : null;
        // The same day as the figures, so the list and the counts agree even across midnight.
        var page = await api.Training.V1.Schools[SchoolId].Compliance.People.GetAsync(c =>
        {
            c.QueryParameters.Status = ShowsDue ? "due" : "overdue";
            c.QueryParameters.Requirement = requirement;
            c.QueryParameters.AsOf = Compliance.AsOf;
            c.QueryParameters.Limit = PageSize;
            c.QueryParameters.Cursor = Cursor is { Length: > 0 } ? Cursor : null;
        }, ct);
        People = page?.Items ?? [];
        NextCursor = page?.NextCursor;
    }

    /// <summary>The same filters with another cursor: the link to the next page (or, with none, the first).</summary>
    public string Link(string? cursor) =>
        Links.To($"/schools/{SchoolId}/compliance", [("show", ShowsDue ? "due" : null), ("requirement", Requirement), ("cursor", cursor)], "people");
}
