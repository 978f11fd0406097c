using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Console.Settings;
using ProblemDetails = Trust.Platform.Client.Policy.Models.ProblemDetails;

namespace Trust.Platform.Console.Pages.TrustPolicy.Baseline;

/// <summary>
/// The CEO changes one baseline setting: its value and its rule. "Check which schools it affects" runs the conflict
/// preview before anything is saved; saving sends the If-Match of the baseline as read, so a change someone else saved
/// in between is a 412 ("someone else saved first") rather than silently overwritten.
/// </summary>
public sealed class EditModel(GatewayClients api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    public JsonNode? SavedValue { get; private set; }

    public string SavedRuleText { get; private set; } = "";

    /// <summary>The rule the radios show: the saved one, or the one posted.</summary>
    public string Rule { get; private set; } = "";

    public IReadOnlyList<string> AllowedRules { get; private set; } = [];

    public string ETag { get; private set; } = "";

    public SettingEditor Editor { get; private set; } = null!;

    public IReadOnlyList<Conflict>? Conflicts { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    public List<string> RuleErrors { get; } = [];

    public static string RuleName(string rule) => rule switch
    {
        "locked" => "Locked: every school uses the trust's value",
        "free" => "Free: a school may set any valid value",
        "tighten_only" => "Tighten only: a school may only make it stricter",
        "union_only" => "Union only: a school may add to the trust's list, never remove from it",
        _ => rule,
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var setting = await LoadAsync(ct);
        Editor = new SettingEditor { Setting = setting, Value = SavedValue };
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string? etag, string? rule, CancellationToken ct)
    {
        var setting = await LoadAsync(ct);
        var value = SettingEditor.Read(setting, Request.Form, SavedValue);
        Rule = rule ?? Rule;
        ETag = etag ?? ETag;
        try
        {
            var preview = await api.Policy.V1.Policy.Baseline.ConflictPreview.PostAsync(new PreviewBaselineConflictsRequest
            {
                Changes = [new BaselineChangeRequest { Key = Key, Value = JsonValues.ToUntyped(value), Rule = ToRule(Rule) }],
            }, cancellationToken: ct);
            Conflicts = preview?.Conflicts ?? [];
            Editor = new SettingEditor { Setting = setting, Value = value };
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode is 400 or 422)
        {
            Refused(problem, setting, value);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? etag, string? rule, CancellationToken ct)
    {
        var setting = await LoadAsync(ct);
        var value = SettingEditor.Read(setting, Request.Form, SavedValue);
        var attemptedRule = rule ?? Rule;
        try
        {
            await api.Policy.V1.Policy.Baseline[Key].PutAsync(
                new UpdateBaselineSettingRequest { Value = JsonValues.ToUntyped(value), Rule = ToRule(attemptedRule) },
                c => c.Headers.Add("If-Match", etag ?? ""), ct);
            return Redirect($"/trust/baseline?saved={Uri.EscapeDataString(Key)}#setting-{Key.Replace('.', '-')}");
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode is 400 or 422)
        {
            Rule = attemptedRule;
            Refused(problem, setting, value);
            return Page();
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode == 412)
        {
            // LoadAsync read the baseline again: the page shows what is saved now, with its new ETag.
            var message = $"Someone else saved the trust's baseline first. The value saved now is shown; yours ({JsonValues.Display(value)}) was not saved. Check it and save again.";
            Errors.Add(("value", message));
            Editor = new SettingEditor { Setting = setting, Value = SavedValue, Errors = [message] };
            return Page();
        }
    }

    private void Refused(ProblemDetails problem, CatalogueSettingResponse setting, JsonNode? value)
    {
        var reasons = Problems.FieldErrors(problem);
        var forValue = reasons.Where(r => !r.Key.StartsWith("rule", StringComparison.Ordinal)).SelectMany(r => r.Value).ToList();
        RuleErrors.AddRange(reasons.Where(r => r.Key.StartsWith("rule", StringComparison.Ordinal)).SelectMany(r => r.Value));
        if (forValue.Count == 0 && RuleErrors.Count == 0)
        {
            forValue.Add(Problems.Summary(problem));
        }

        Errors.AddRange(forValue.Select(m => ("value", m)));
        Errors.AddRange(RuleErrors.Select(m => ("rule", m)));
        Editor = new SettingEditor { Setting = setting, Value = value, Errors = forValue };
    }

    private static OverrideRule? ToRule(string? rule) => rule switch
    {
        "locked" => OverrideRule.Locked,
        "free" => OverrideRule.Free,
        "tighten_only" => OverrideRule.Tighten_only,
        "union_only" => OverrideRule.Union_only,
        _ => null,
    };

    private async Task<CatalogueSettingResponse> LoadAsync(CancellationToken ct)
    {
        var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var baseline = await api.Policy.V1.Policy.Baseline.GetAsync(c => c.Options.Add(inspect), ct);
        ETag = inspect.ResponseHeaders.TryGetValue("ETag", out var etags) ? etags.FirstOrDefault() ?? "" : "";
        var setting = (await api.Policy.V1.Policy.Catalogue.GetAsync(cancellationToken: ct) ?? []).FirstOrDefault(s => s.Key == Key);
        var saved = baseline?.Settings?.FirstOrDefault(s => s.Key == Key);
        if (setting is null || saved is null)
        {
            throw new ApiException("No such setting") { ResponseStatusCode = 404 };
        }

        SavedValue = JsonValues.ToJson(saved.Value);
        Rule = saved.Rule ?? "";
        SavedRuleText = SettingText.Rule(saved.Rule, setting.StricterIs, SavedValue);
        AllowedRules = setting.AllowedRules ?? [Rule];
        return setting;
    }
}
