using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Accounts.Models;
using Trust.Platform.Console.Applications;
using Trust.Platform.Console.Gateway;
using AccountsProblem = Trust.Platform.Client.Accounts.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.Schools.Applications;

/// <summary>
/// One account application: the business case, the administrators it names, the approval chain with each decision so
/// far, and, for the holder of the awaited step's role, the decision form. Accounts decides who may see and decide it:
/// another school's application is the console's 404 page, and a refused decision is shown next to its field.
/// </summary>
public sealed class ApplicationModel(GatewayClients api, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid ApplicationId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public string SchoolName { get; private set; } = "";

    /// <summary>The school's IANA zone: the page's times are the school's.</summary>
    public string? SchoolTimeZone { get; private set; }

    public ApplicationResponse Application { get; private set; } = new();

    /// <summary>The names of the staff the application names (administrators, moderator, custodian, applicant), by roster id.</summary>
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public bool MayDecide { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>What was sent in the refused decision, so it stays in the form to correct.</summary>
    public Dictionary<string, string?> Entered { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? step, string? outcome, string? reason, CancellationToken ct)
    {
        Entered["outcome"] = outcome;
        Entered["reason"] = reason;
        // The application first: another school's is the console's 404 before anything is sent.
        await LoadAsync(ct);
        try
        {
            await api.Accounts.V1.Applications[ApplicationId].Decisions.PostAsync(new DecisionRequest
            {
                // The step shown when the form was drawn: if another decision came first, the API refuses it (409) rather than
                // applying this one to the next step.
                Step = step ?? "",
                Outcome = outcome switch { "approve" => DecisionOutcome.Approve, "reject" => DecisionOutcome.Reject, _ => null },
                Reason = reason is { Length: > 0 } ? reason : null,
            }, cancellationToken: ct);
            return Redirect($"/schools/{SchoolId}/applications/{ApplicationId}?done={(outcome == "reject" ? "rejected" : "approved")}#chain");
        }
        // REVIEW: a 403 (not the step's role, or the applicant deciding their own application by roster id, which /v1/me does
        // not show) is the console's 404 page like every 403; the form is offered only to those ApplicationText.MayDecide allows.
        catch (AccountsProblem problem) when (problem.ResponseStatusCode is 400 or 409 or 422)
        {
            Errors.AddRange(Problems.ForFields(problem, FieldOf, "outcome"));
            if (problem.ResponseStatusCode == 409)
            {
                // Overtaken by another decision (or already decided): the chain as it is now.
                await LoadAsync(ct);
            }

            return Page();
        }
    }

    /// <summary>
    /// The form field for an API field: <c>reason</c> and <c>outcome</c> (however nested, e.g. <c>body.reason</c>); the step and
    /// the administrators' shortfalls (<c>administrators.{id}</c>) have no field of their own and go under the outcome.
    /// </summary>
    private static string? FieldOf(string name) => name.Split('.')[^1].ToLowerInvariant() switch
    {
        "reason" => "reason",
        _ => null,
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Application = await api.Accounts.V1.Applications[ApplicationId].GetAsync(cancellationToken: ct) ?? new();
        // An application is opened under its own school's address only: the same one under another school's is not found.
        if (Application.SchoolId != SchoolId)
        {
            throw new ApiException("Not this school's application") { ResponseStatusCode = 404 };
        }

        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        MayDecide = ApplicationText.MayDecide(Application, await user.MeAsync(ct));
        var businessCase = Application.BusinessCase;
        var staff = (Application.Administrators ?? []).Append(businessCase?.Moderator).Append(businessCase?.CredentialCustodian).Append(Application.ApplicantStaffId)
            .OfType<Guid>().Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        foreach (var id in staff)
        {
            if (await NameAsync(id, ct) is { } name)
            {
                names[id] = name;
            }
        }

        Names = names;
    }

    /// <summary>A person's name from the school's roster; null when the roster does not show them to this person (or no longer has them).</summary>
    private async Task<string?> NameAsync(Guid personId, CancellationToken ct)
    {
        try
        {
            return (await api.Training.V1.Schools[SchoolId].People[personId].GetAsync(cancellationToken: ct))?.DisplayName;
        }
        catch (ApiException e) when (e.ResponseStatusCode is 403 or 404)
        {
            return null;
        }
    }

    /// <summary>A person the application names, by name where the roster gives one.</summary>
    public string Person(Guid? id) => id is { } staffId ? Names.TryGetValue(staffId, out var name) ? name : $"Staff member {staffId}" : "Not given";
}
