using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Auth;
using PolicyProblem = Trust.Platform.Client.Policy.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.Schools.BlockedSites;

/// <summary>
/// One blocked content access request as Policy shows it to this person, and, while it waits, the decision form for those
/// who may be named to decide (the headteacher, DSL or ICT technician: which one decides is the school's
/// <c>blocked_sites.access_approver</c>, and Policy's refusal of anyone else is shown on the page, not as a missing page).
/// </summary>
public sealed class RequestModel(GatewayClients api, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid RequestId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public string SchoolName { get; private set; } = "";

    public string? SchoolTimeZone { get; private set; }

    public AccessRequestResponse Access { get; private set; } = new();

    public bool MayDecide { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    public string? Outcome { get; private set; }

    public string? Reason { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? outcome, string? reason, CancellationToken ct)
    {
        (Outcome, Reason) = (outcome, reason);
        await LoadAsync(ct);
        if (outcome is not ("approve" or "refuse"))
        {
            Errors.Add(("outcome", "Select whether to approve or refuse the request"));
            return Page();
        }

        try
        {
            await api.Policy.V1.Schools[SchoolId].BlockedSites.AccessRequests[RequestId].Decision.PostAsync(
                new DecideAccessRequestRequest { Approved = outcome == "approve", Reason = reason ?? "" }, cancellationToken: ct);
            return Redirect($"/schools/{SchoolId}/blocked-sites/{RequestId}?done={(outcome == "approve" ? "approved" : "refused")}");
        }
        catch (PolicyProblem problem) when (problem.ResponseStatusCode is 400 or 403 or 409 or 422)
        {
            // A 403 here is the school's rule naming another approver (blocked_sites.access_approver): said on the page.
            Errors.AddRange(Problems.ForFields(problem, f => f.Split('.')[^1].Equals("reason", StringComparison.OrdinalIgnoreCase) ? "reason" : null, "outcome"));
            if (problem.ResponseStatusCode == 409)
            {
                await LoadAsync(ct);
            }

            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Access = await api.Policy.V1.Schools[SchoolId].BlockedSites.AccessRequests[RequestId].GetAsync(cancellationToken: ct) ?? new();
        if (Access.SchoolId != SchoolId)
        {
            throw new ApiException("Not this school's request") { ResponseStatusCode = 404 };
        }

        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        MayDecide = Access.Status == "pending" && (await user.SchoolsWhereAnyAsync([.. RoleSets.BlockedContentApprovers], ct)).Contains(SchoolId);
    }
}
