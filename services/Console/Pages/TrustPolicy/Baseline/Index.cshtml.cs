using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Console.Settings;

namespace Trust.Platform.Console.Pages.TrustPolicy.Baseline;

/// <summary>The trust's baseline: each setting's value and rule (trust admins; the API refuses anyone else).</summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public sealed record Row(string Key, JsonNode? Value, string RuleText);

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var baseline = await api.Policy.V1.Policy.Baseline.GetAsync(cancellationToken: ct);
        var catalogue = (await api.Policy.V1.Policy.Catalogue.GetAsync(cancellationToken: ct) ?? []).ToDictionary(s => s.Key ?? "", StringComparer.Ordinal);
        Rows = [.. (baseline?.Settings ?? []).Select(s =>
        {
            var value = JsonValues.ToJson(s.Value);
            var stricter = catalogue.TryGetValue(s.Key ?? "", out var definition) ? definition.StricterIs : null;
            return new Row(s.Key ?? "", value, SettingText.Rule(s.Rule, stricter, value));
        })];
    }
}
