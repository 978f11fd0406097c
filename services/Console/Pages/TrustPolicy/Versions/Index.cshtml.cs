using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Time;
using ProblemDetails = Trust.Platform.Client.Policy.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.TrustPolicy.Versions;

/// <summary>
/// Versions: draft, record the approval of a major one, publish. What the API refuses is shown with its reasons: a
/// field it names next to that field, a wrong state (409) and each document that would print an unset value (422,
/// rule <c>nothing-unset</c>) in the error summary.
/// </summary>
public sealed partial class IndexModel(GatewayClients api, TimeProvider time) : PageModel
{
    private static readonly string[] FormFields = ["kind", "summary", "approverName", "approvingBody", "approvedOn"];

    public IReadOnlyList<VersionResponse> Versions { get; private set; } = [];

    /// <summary>The version on its way (a draft, or approved and not yet published), if there is one.</summary>
    public VersionResponse? Pending { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public string? ApproverName { get; set; }

    [BindProperty]
    public string? ApprovingBody { get; set; }

    [BindProperty]
    public string? ApprovedOn { get; set; }

    public string Today => PlatformClock.LocalDate(time.GetUtcNow(), Written.TrustTimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string? FieldError(string field) =>
        Errors.Where(e => e.Field == field).Select(e => e.Message).ToList() is { Count: > 0 } messages ? string.Join(" ", messages) : null;

    public static string StatusTag(VersionStatus? status) => status switch
    {
        VersionStatus.Published => "govuk-tag--green",
        VersionStatus.Approved => "govuk-tag--blue",
        VersionStatus.Draft => "govuk-tag--yellow",
        _ => "govuk-tag--grey",
    };

    public async Task OnGetAsync(CancellationToken ct)
    {
        ApprovedOn ??= Today;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostDraftAsync(string? kind, CancellationToken ct) =>
        await AttemptAsync(async () =>
        {
            var version = await api.Policy.V1.Policy.Versions.PostAsync(new DraftVersionRequest
            {
                Kind = kind == "minor" ? VersionKind.Minor : VersionKind.Major,
                Summary = Summary,
            }, cancellationToken: ct);
            return $"Version {version?.Version} drafted.";
        }, ct);

    public async Task<IActionResult> OnPostApproveAsync(Guid versionId, CancellationToken ct) =>
        await AttemptAsync(async () =>
        {
            var day = DateOnly.TryParseExact(ApprovedOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
            if (day is null)
            {
                // The contract types the date, so a value that is not one cannot be sent for the API to refuse.
                Errors.Add(("approvedOn", "Enter the date of approval as a date, for example " + Today));
                return null;
            }

            var version = await api.Policy.V1.Policy.Versions[versionId].Approve.PostAsync(new ApproveVersionRequest
            {
                ApproverName = ApproverName, ApprovingBody = ApprovingBody, ApprovedOn = new Date(day.Value.Year, day.Value.Month, day.Value.Day),
            }, cancellationToken: ct);
            return $"Version {version?.Version} approved.";
        }, ct);

    public async Task<IActionResult> OnPostPublishAsync(Guid versionId, CancellationToken ct) =>
        await AttemptAsync(async () =>
        {
            var version = await api.Policy.V1.Policy.Versions[versionId].Publish.PostAsync(cancellationToken: ct);
            return $"Version {version?.Version} published.";
        }, ct);

    /// <summary>Runs one action; success goes back to the list (post, redirect, get), a refusal stays with its reasons.</summary>
    private async Task<IActionResult> AttemptAsync(Func<Task<string?>> action, CancellationToken ct)
    {
        try
        {
            if (await action() is { } done)
            {
                return Redirect($"/trust/versions?done={Uri.EscapeDataString(done)}");
            }
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode is 400 or 409 or 422)
        {
            await ExplainAsync(problem, ct);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task ExplainAsync(ProblemDetails problem, CancellationToken ct)
    {
        var reasons = Problems.FieldErrors(problem);
        var conflicts = Problems.Conflicts(problem);
        if (reasons.Count == 0)
        {
            Errors.Add(("publish", Problems.Summary(problem)));
            Errors.AddRange(conflicts.Select(c => ("publish", c)));
            return;
        }

        var schools = reasons.Keys.Any(k => k.StartsWith("schools/", StringComparison.Ordinal))
            ? ((await api.Policy.V1.Schools.GetAsync(c => c.QueryParameters.Limit = 200, ct))?.Items ?? []).ToDictionary(s => s.Id.ToString()!, s => s.Name ?? "")
            : [];
        foreach (var (field, messages) in reasons)
        {
            var known = FormFields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
            foreach (var message in messages)
            {
                Errors.Add(known is null ? ("publish", $"{Where(field, schools)}: {message}") : (known, message));
            }
        }
    }

    /// <summary><c>schools/{id}/sections/{section}</c> reads "Mellers Primary School, section roles".</summary>
    private static string Where(string field, IReadOnlyDictionary<string, string> schools)
    {
        var match = DocumentSection().Match(field);
        if (!match.Success)
        {
            return field;
        }

        var document = match.Groups["school"].Success
            ? schools.GetValueOrDefault(match.Groups["school"].Value, "A school") + "'s document"
            : "The trust's document";
        return $"{document}, section {match.Groups["section"].Value}";
    }

    [GeneratedRegex("^(?:schools/(?<school>[0-9a-f-]{36})|trust)/sections/(?<section>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentSection();

    private async Task LoadAsync(CancellationToken ct)
    {
        Versions = [.. (await api.Policy.V1.Policy.Versions.GetAsync(cancellationToken: ct) ?? []).OrderByDescending(v => v.CreatedAt)];
        Pending = Versions.FirstOrDefault(v => v.Status is VersionStatus.Draft or VersionStatus.Approved);
    }
}
