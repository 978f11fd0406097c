using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Trust.Platform.Client.Policy.Models;
using ProblemDetails = Trust.Platform.Client.Policy.Models.ProblemDetails;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Console.Settings;

namespace Trust.Platform.Console.Pages.Schools.Settings;

/// <summary>
/// A headteacher tailors one setting within the trust's rule. The API's refusal (422: the rule, 400: not a value) is
/// shown next to the field; a 412 means someone else saved the school's settings since this page was read.
/// </summary>
public sealed class EditModel(GatewayClients api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    public string SchoolName { get; private set; } = "";

    public JsonNode? Current { get; private set; }

    public JsonNode? TrustValue { get; private set; }

    public string Source { get; private set; } = "trust";

    public string Rule { get; private set; } = "";

    public string RuleText { get; private set; } = "";

    /// <summary>The school's overrides' ETag when the page was read: the If-Match of the save.</summary>
    public string ETag { get; private set; } = "";

    public SettingEditor Editor { get; private set; } = null!;

    public List<(string Field, string Message)> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var setting = await LoadAsync(ct);
        Editor = new SettingEditor { Setting = setting, Value = Current };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? etag, CancellationToken ct)
    {
        var setting = await LoadAsync(ct);
        var value = SettingEditor.Read(setting, Request.Form, Current);
        try
        {
            await api.Policy.V1.Schools[SchoolId].Policy.Overrides[Key].PutAsync(
                new SetOverrideRequest { Value = JsonValues.ToUntyped(value) }, c => c.Headers.Add("If-Match", etag ?? ""), ct);
            return Redirect($"/schools/{SchoolId}/settings?saved={Uri.EscapeDataString(Key)}#setting-{Key.Replace('.', '-')}");
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode is 400 or 422)
        {
            var reasons = Problems.FieldErrors(problem);
            var forValue = reasons.Where(r => r.Key.StartsWith("value", StringComparison.Ordinal)).SelectMany(r => r.Value).ToList();
            if (forValue.Count == 0)
            {
                forValue.Add(Problems.Summary(problem));
            }

            Errors.AddRange(forValue.Select(m => ("value", m)));
            Editor = new SettingEditor { Setting = setting, Value = value, Errors = forValue };
            return Page();
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode == 412)
        {
            return SomeoneElseSavedFirst(setting, value);
        }
    }

    public async Task<IActionResult> OnPostInheritAsync(string? etag, CancellationToken ct)
    {
        var setting = await LoadAsync(ct);
        try
        {
            await api.Policy.V1.Schools[SchoolId].Policy.Overrides[Key].DeleteAsync(c => c.Headers.Add("If-Match", etag ?? ""), ct);
            return Redirect($"/schools/{SchoolId}/settings?saved={Uri.EscapeDataString(Key)}#setting-{Key.Replace('.', '-')}");
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode == 412)
        {
            return SomeoneElseSavedFirst(setting, Current);
        }
    }

    /// <summary>The page was read again by <see cref="LoadAsync"/>: it shows what is saved now, with the new ETag.</summary>
    private PageResult SomeoneElseSavedFirst(CatalogueSettingResponse setting, JsonNode? attempted)
    {
        var message = $"Someone else saved this school's settings first. The value saved now is shown; yours ({JsonValues.Display(attempted)}) was not saved. Check it and save again.";
        Errors.Add(("value", message));
        Editor = new SettingEditor { Setting = setting, Value = Current, Errors = [message] };
        return Page();
    }

    private async Task<CatalogueSettingResponse> LoadAsync(CancellationToken ct)
    {
        var school = api.Policy.V1.Schools[SchoolId];
        SchoolName = (await school.GetAsync(cancellationToken: ct))?.Name ?? "";
        var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await school.Policy.Overrides.GetAsync(c => c.Options.Add(inspect), ct);
        ETag = inspect.ResponseHeaders.TryGetValue("ETag", out var etags) ? etags.FirstOrDefault() ?? "" : "";
        var effective = await school.Policy.Effective.GetAsync(cancellationToken: ct);
        var setting = (await api.Policy.V1.Policy.Catalogue.GetAsync(cancellationToken: ct) ?? []).FirstOrDefault(s => s.Key == Key);
        var mine = effective?.Settings?.FirstOrDefault(s => s.Key == Key);
        if (setting is null || mine is null)
        {
            // Not a setting of the catalogue: the same 404 page as any unknown address.
            throw new ApiException("No such setting") { ResponseStatusCode = 404 };
        }

        Current = JsonValues.ToJson(mine.Value);
        TrustValue = JsonValues.ToJson(mine.TrustValue);
        Source = mine.Source ?? "trust";
        Rule = mine.Rule ?? "";
        RuleText = SettingText.Rule(mine.Rule, setting.StricterIs, TrustValue);
        return setting;
    }
}
