using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Time;
using PolicyProblem = Trust.Platform.Client.Policy.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.ApiKeys;

/// <summary>
/// A trust admin issues an API key. The API answers with its secret once; this page renders it in the answer to the
/// POST and nowhere else: it is not stored, logged, put in a URL or redirected to, and the answer is not cached.
/// A refusal (400, 422) is shown next to the field it names.
/// </summary>
public sealed class NewModel(GatewayClients api, CurrentUser user, TimeProvider time) : PageModel
{
    /// <summary>An expiry date is the start of that day in England (the demo trust's zone, as its documents are dated).</summary>
    private const string TrustTimeZone = "Europe/London";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    [BindProperty]
    public List<Guid> SchoolIds { get; set; } = [];

    [BindProperty]
    public string? RateLimitPerMinute { get; set; }

    [BindProperty]
    public string? ExpiresOn { get; set; }

    public IReadOnlyList<SchoolResponse> Schools { get; private set; } = [];

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>The key issued, and its secret: set only while the POST's answer renders.</summary>
    public CreatedApiKeyResponse? Created { get; private set; }

    public string? ErrorFor(string field) => Errors.Where(e => e.Field == field).Select(e => e.Message).FirstOrDefault();

    /// <summary>A fresh key for each form shown: a resubmitted form is the same key, a corrected one a new request.</summary>
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString();

    public string ExampleDate => PlatformClock.LocalDate(time.GetUtcNow(), TrustTimeZone).AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Nothing to read for an empty form, so the page asks who this is: the API would refuse anyone else's POST anyway.
        if (!await user.IsTrustAdminAsync(ct))
        {
            return NotFound();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The answer may hold the secret: no proxy, browser cache or back button may keep a copy of it.
        Response.Headers.CacheControl = "no-store";
        if (!await user.IsTrustAdminAsync(ct))
        {
            return NotFound();
        }

        await LoadAsync(ct);
        // The contract types these two, so a value that is not a number or a date cannot be sent for the API to refuse.
        int? rateLimit = null;
        if (RateLimitPerMinute is { Length: > 0 } text)
        {
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute))
            {
                rateLimit = perMinute;
            }
            else
            {
                Errors.Add(("rateLimitPerMinute", "Enter the requests per minute as a whole number, for example 600"));
            }
        }

        DateTimeOffset? expiresAt = null;
        if (ExpiresOn is { Length: > 0 } day)
        {
            if (DateOnly.TryParseExact(day.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                expiresAt = StartOf(date);
            }
            else
            {
                Errors.Add(("expiresOn", "Enter the expiry date as a date, for example " + ExampleDate));
            }
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        try
        {
            // A retry of the same form (a double click) is the same key: the API answers it again without its secret.
            var key = Request.Form["idempotencyKey"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            Created = await api.Policy.V1.ApiKeys.PostAsync(new CreateApiKeyRequest
            {
                Name = Name ?? "",
                Scopes = [.. Scopes],
                SchoolIds = SchoolIds.Count > 0 ? [.. SchoolIds.Select(id => (Guid?)id)] : null,
                RateLimitPerMinute = rateLimit,
                ExpiresAt = expiresAt,
            }, c => c.Headers.Add("Idempotency-Key", key), ct);
        }
        catch (PolicyProblem problem) when (problem.ResponseStatusCode is 400 or 409 or 422)
        {
            Errors.AddRange(Problems.ForFields(problem, FieldOf, "name"));
            return Page();
        }

        return Page();
    }

    /// <summary>The API's field names (RFC 9457 <c>errors</c>, camel case) to this form's fields.</summary>
    private static string? FieldOf(string apiField) => apiField switch
    {
        "name" => "name",
        "expiresAt" => "expiresOn",
        _ when apiField.StartsWith("scopes", StringComparison.Ordinal) => "scopes",
        _ when apiField.StartsWith("schoolIds", StringComparison.Ordinal) => "schoolIds",
        _ when apiField.StartsWith("rateLimitPerMinute", StringComparison.Ordinal) => "rateLimitPerMinute",
        _ => null,
    };

    private static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TrustTimeZone, out var found) ? found : TimeZoneInfo.Utc;
        return new DateTimeOffset(local, PlatformClock.OffsetAt(zone, local));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Schools = [.. (await Gateway.Schools.AllAsync(api.Policy, ct)).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }
}
