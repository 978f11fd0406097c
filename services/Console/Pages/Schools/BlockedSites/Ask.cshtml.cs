using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Time;
using PolicyProblem = Trust.Platform.Client.Policy.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.Schools.BlockedSites;

/// <summary>
/// The blocked content access request form (002 Appendix A): the site, the page if one is enough, the reason, the lesson or
/// use, what the site holds, the risks and their controls, and the first and last day it is needed. The days are the
/// school's: access starts at the start of the first day (or now, when that is today) and lapses at the end of the last.
/// Policy decides the rest (a site the school does not block, a period too long or too far ahead), next to the field.
/// </summary>
public sealed class AskModel(GatewayClients api, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty]
    public string? Site { get; set; }

    [BindProperty]
    public string? FullUrl { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? IntendedUse { get; set; }

    [BindProperty]
    public string? SiteContent { get; set; }

    [BindProperty]
    public string? RisksAndControls { get; set; }

    [BindProperty]
    public DateTime? FirstDay { get; set; }

    [BindProperty]
    public DateTime? LastDay { get; set; }

    public string SchoolName { get; private set; } = "";

    public string? SchoolTimeZone { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>A fresh key for each form shown: a resubmitted form is the same request, a corrected one a new request.</summary>
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (FirstDay is null)
        {
            Errors.Add(("firstDay", "Enter the first day the site is needed"));
        }

        if (LastDay is null)
        {
            Errors.Add(("lastDay", "Enter the last day the site is needed"));
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        var now = clock.GetUtcNow();
        var first = DateOnly.FromDateTime(FirstDay!.Value);
        var from = first <= PlatformClock.LocalDate(now, SchoolTimeZone) ? now : PlatformClock.AtLocal(first.ToDateTime(TimeOnly.MinValue), SchoolTimeZone);
        var until = PlatformClock.AtLocal(DateOnly.FromDateTime(LastDay!.Value).AddDays(1).ToDateTime(TimeOnly.MinValue), SchoolTimeZone);
        try
        {
            var key = Request.Form["idempotencyKey"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            var created = await api.Policy.V1.Schools[SchoolId].BlockedSites.AccessRequests.PostAsync(new CreateAccessRequestRequest
            {
                Site = Site?.Trim() ?? "",
                FullUrl = Given(FullUrl),
                Reason = Reason?.Trim() ?? "",
                IntendedUse = IntendedUse?.Trim() ?? "",
                SiteContent = SiteContent?.Trim() ?? "",
                RisksAndControls = Given(RisksAndControls),
                AllowedFrom = from,
                AllowedUntil = until,
            }, c => c.Headers.Add("Idempotency-Key", key), ct);
            return Redirect($"/schools/{SchoolId}/blocked-sites/{created?.Id}?done=asked");
        }
        catch (PolicyProblem problem) when (problem.ResponseStatusCode is 400 or 409 or 422)
        {
            Errors.AddRange(Problems.ForFields(problem, FieldOf, "site"));
            return Page();
        }
    }

    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The API's field names to this form's: the period's ends are the days typed.</summary>
    private static string? FieldOf(string apiField) => apiField.Split('.')[^1].ToLowerInvariant() switch
    {
        "site" => "site",
        "fullurl" => "fullUrl",
        "reason" => "reason",
        "intendeduse" => "intendedUse",
        "sitecontent" => "siteContent",
        "risksandcontrols" => "risksAndControls",
        "allowedfrom" => "firstDay",
        "alloweduntil" => "lastDay",
        _ => null,
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
    }
}
