using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Incidents.Models;
using Trust.Platform.Console.Cases;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Time;
using IncidentsProblem = Trust.Platform.Client.Incidents.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.Schools.Cases;

/// <summary>
/// One case: its details and timeline, and what the DSL does with it (a note, evidence, escalation, closing). What the
/// person may read and do is the API's decision: a case they may not see, or one of another school, is the console's
/// 404 page, and every refusal is shown next to the field of the form that was sent.
/// </summary>
public sealed class CaseModel(GatewayClients api, TimeProvider clock) : PageModel
{
    /// <summary>The evidence the API takes (PNG, JPEG or PDF, at most 10 MB, 000 l.138); a larger file is refused here first.</summary>
    public const long MaxEvidenceBytes = 10 * 1024 * 1024;

    public sealed record Evidence(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256, DateTimeOffset? CapturedAt);

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid CaseId { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Filed { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public string SchoolName { get; private set; } = "";

    /// <summary>The whole case, when the API shows it to this person; otherwise only <see cref="Receipt"/>.</summary>
    public CaseResponse? Case { get; private set; }

    public CaseReceipt? Receipt { get; private set; }

    public IReadOnlyList<TimelineEntryResponse> Timeline { get; private set; } = [];

    public IReadOnlyList<Evidence> EvidenceItems { get; private set; } = [];

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>What was typed in the form that was refused, so it stays in its field to correct.</summary>
    public Dictionary<string, string?> Entered { get; } = new(StringComparer.Ordinal);

    public bool Open => Case?.Status == CaseStatus.Open;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostNoteAsync(string? text, CancellationToken ct)
    {
        Entered["noteText"] = text;
        return await SendAsync("note", () => api.Incidents.V1.Cases[CaseId].Notes.PostAsync(new AddNoteRequest { Text = text ?? "" }, cancellationToken: ct),
            f => f.Equals("text", StringComparison.OrdinalIgnoreCase) ? "noteText" : null, "noteText", ct);
    }

    public async Task<IActionResult> OnPostEscalateAsync(string? step, string? reason, CancellationToken ct)
    {
        Entered["step"] = step;
        Entered["reason"] = reason;
        return await SendAsync("escalated", () => api.Incidents.V1.Cases[CaseId].Escalations.PostAsync(new EscalateCaseRequest { Step = step, Reason = reason ?? "" }, cancellationToken: ct),
            f => f.ToLowerInvariant() switch { "step" => "step", "reason" => "reason", _ => null }, "reason", ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(string? outcome, bool significant, string? closingNote, CancellationToken ct)
    {
        Entered["outcome"] = outcome;
        Entered["closingNote"] = closingNote;
        return await SendAsync("closed", () => api.Incidents.V1.Cases[CaseId].Close.PostAsync(
                new CloseCaseRequest { Outcome = outcome, Significant = significant, Note = closingNote is { Length: > 0 } ? closingNote : null }, cancellationToken: ct),
            f => f.ToLowerInvariant() switch { "outcome" => "outcome", "note" => "closingNote", _ => null }, "outcome", ct);
    }

    public async Task<IActionResult> OnPostEvidenceAsync(IFormFile? file, DateTime? capturedAt, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            await LoadAsync(ct);
            Errors.Add(("file", "Select the file to upload"));
            return Page();
        }

        if (file.Length > MaxEvidenceBytes)
        {
            await LoadAsync(ct);
            Errors.Add(("file", "The file must be smaller than 10 MB"));
            return Page();
        }

        await using var stream = file.OpenReadStream();
        var body = new MultipartBody();
        body.AddOrReplacePart("file", file.ContentType, stream, Path.GetFileName(file.FileName));
        return await SendAsync("evidence", () => api.Incidents.V1.Cases[CaseId].Evidence.PostAsync(body, c =>
            {
                c.QueryParameters.FileName = Path.GetFileName(file.FileName);
                // 000 l.138: evidence is kept with the time it was captured; without one, the moment it was uploaded.
                // A datetime-local field has no offset: it is the wall-clock time at the school (its zone from the directory).
                c.QueryParameters.CapturedAt = capturedAt is { } local ? PlatformClock.AtLocal(local, SchoolTimeZone) : clock.GetUtcNow();
            }, ct),
            f => f.ToLowerInvariant() switch { "capturedat" => "capturedAt", _ => "file" }, "file", ct);
    }

    /// <summary>The evidence's bytes as the API gives them (its read is audited there), under the name it was uploaded with.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid evidenceId, CancellationToken ct)
    {
        await LoadAsync(ct);
        var item = EvidenceItems.FirstOrDefault(e => e.Id == evidenceId) ?? throw new ApiException("No such evidence") { ResponseStatusCode = 404 };
        var bytes = await api.Incidents.V1.Cases[CaseId].Evidence[evidenceId].GetAsync(cancellationToken: ct)
            ?? throw new ApiException("No evidence body") { ResponseStatusCode = 404 };
        return File(bytes, item.ContentType, item.FileName);
    }

    private async Task<IActionResult> SendAsync<T>(string done, Func<Task<T>> send, Func<string, string?> fieldOf, string fallbackField, CancellationToken ct)
    {
        // The case first: another school's case is the console's 404 before anything is sent.
        await LoadAsync(ct);
        try
        {
            await send();
            return Redirect($"/schools/{SchoolId}/cases/{CaseId}?done={done}#{done}");
        }
        catch (IncidentsProblem problem) when (problem.ResponseStatusCode is 400 or 409 or 413 or 415 or 422)
        {
            Errors.AddRange(Problems.ForFields(problem, fieldOf, fallbackField));
            return Page();
        }
    }

    /// <summary>The details of the case's type, in the words the report form asked for them.</summary>
    public IReadOnlyList<DetailRow> DetailRows { get; private set; } = [];

    /// <summary>The school's IANA zone (Policy's directory): the page's times are the school's, and so is a typed capture time.</summary>
    public string? SchoolTimeZone { get; private set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        var found = await api.Incidents.V1.Cases[CaseId].GetAsync(cancellationToken: ct);
        Case = found?.CaseResponse;
        Receipt = found?.CaseReceipt;
        // A case is opened under its own school's address only: the same case under another school's is not found.
        // REVIEW: a receipt (what a reporter who may not read the case sees) names no school, so it is not checked here;
        // the school's own read below still needs the person to belong to the school in the address.
        if (Case is null ? Receipt is null : Case.SchoolId != SchoolId)
        {
            throw new ApiException("Not this school's case") { ResponseStatusCode = 404 };
        }

        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        if (Case is null)
        {
            return;
        }

        var details = JsonValues.ToJson(Case.Details);
        var accountName = details is JsonObject fields && fields["accountId"] is JsonValue named && Guid.TryParse(named.ToString(), out var accountId)
            ? await OfficialAccounts.NameAsync(api.Accounts, accountId, ct)
            : null;
        DetailRows = CaseDetails.Rows(details, SchoolTimeZone, accountName);

        // The whole timeline, a page of the API's largest at a time (a case's history is read in full, never cut short).
        (Timeline, _) = await Cursors.ReadAsync(async cursor =>
        {
            var page = await api.Incidents.V1.Cases[CaseId].Timeline.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items, page?.NextCursor);
        });
        EvidenceItems = [.. Timeline.Where(e => e.Kind == "evidence").Select(e => JsonValues.ToJson(e.Body)).OfType<System.Text.Json.Nodes.JsonObject>()
            .Select(b => new Evidence(
                Guid.TryParse((string?)b["evidenceId"], out var id) ? id : Guid.Empty,
                (string?)b["fileName"] ?? "evidence",
                (string?)b["contentType"] ?? "application/octet-stream",
                // A JSON number: the client's node holds it as an int or a long, whichever it fit.
                long.TryParse(b["sizeBytes"]?.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : 0,
                (string?)b["sha256"] ?? "",
                DateTimeOffset.TryParse((string?)b["capturedAt"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : null))
            .Where(e => e.Id != Guid.Empty)];
    }
}
