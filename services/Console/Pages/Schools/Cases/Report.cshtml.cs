using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Incidents.Models;
using Trust.Platform.Console.Cases;
using Trust.Platform.Console.Gateway;
using IncidentsProblem = Trust.Platform.Client.Incidents.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.Schools.Cases;

/// <summary>
/// Files a case at the school. The API routes it (to the DSL, the headteacher, the chair) and decides whether the
/// person filing it may read it afterwards; a refusal (400, 422) is shown next to the field it names.
/// </summary>
public sealed class ReportModel(GatewayClients api) : PageModel
{

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty]
    public string? Type { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public string? SubjectKind { get; set; }

    [BindProperty]
    public string? MisId { get; set; }

    [BindProperty]
    public string? Platform { get; set; }

    [BindProperty]
    public bool Safeguarding { get; set; }

    public string SchoolName { get; private set; } = "";

    public List<(string Field, string Message)> Errors { get; } = [];

    public string? ErrorFor(string field) => Errors.Where(e => e.Field == field).Select(e => e.Message).FirstOrDefault();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (CaseText.Parse<CaseType>(Type) is not { } type || !CaseText.ReportableTypes.Contains(type))
        {
            Errors.Add(("type", "Select the type of case"));
            return Page();
        }

        var kind = CaseText.Parse<Trust.Platform.Client.Incidents.Models.SubjectKind>(SubjectKind);
        var concern = Platform is { Length: > 0 } ? new ConcernDetails { Platform = Platform } : null;
        var request = new ReportCaseRequest
        {
            Type = type,
            Summary = Summary ?? "",
            Safeguarding = Safeguarding ? true : null,
            Subject = kind is { } k ? new SubjectRequest { Kind = k, MisId = MisId is { Length: > 0 } ? MisId : null } : null,
            PupilConductConcern = type == CaseType.Pupil_conduct_concern ? concern : null,
            StaffConductConcern = type == CaseType.Staff_conduct_concern ? concern : null,
            Whistleblowing = type == CaseType.Whistleblowing ? concern : null,
            Grievance = type == CaseType.Grievance ? concern : null,
        };
        try
        {
            // A retry of the same form (a double click) is the same case, not a second one.
            var key = Request.Form["idempotencyKey"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            var receipt = await api.Incidents.V1.Schools[SchoolId].Cases.PostAsync(request, c => c.Headers.Add("Idempotency-Key", key), ct);
            return Redirect($"/schools/{SchoolId}/cases/{receipt?.Id}?filed=true");
        }
        catch (IncidentsProblem problem) when (problem.ResponseStatusCode is 400 or 422)
        {
            Errors.AddRange(Problems.ForFields(problem, FieldOf, "summary"));
            return Page();
        }
    }

    /// <summary>A fresh key for each form shown: a resubmitted form is the same case, a corrected one a new request.</summary>
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString();

    /// <summary>The API's field names (RFC 9457 <c>errors</c>, camel case paths) to this form's fields.</summary>
    private static string? FieldOf(string apiField) => apiField.ToLowerInvariant() switch
    {
        "type" => "type",
        "summary" => "summary",
        "safeguarding" => "safeguarding",
        "subject.misid" => "misId",
        var f when f.StartsWith("subject", StringComparison.Ordinal) => "subjectKind",
        var f when f.EndsWith(".platform", StringComparison.Ordinal) => "platform",
        _ => null,
    };

    private async Task LoadAsync(CancellationToken ct) =>
        // The school first: another school's (or trust's) id is the API's 404, which the console shows as its own.
        SchoolName = (await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct))?.Name ?? "";
}
