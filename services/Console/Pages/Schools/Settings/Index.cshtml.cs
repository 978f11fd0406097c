using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Console.Settings;

namespace Trust.Platform.Console.Pages.Schools.Settings;

/// <summary>A school's settings: the effective value of each, its source, and the trust's rule in words.</summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public sealed record Row(string Key, JsonNode? Value, string Source, string Rule, string RuleText, string? Conflict);

    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public string SchoolName { get; private set; } = "";

    public string? PublishedVersion { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var school = api.Policy.V1.Schools[SchoolId];
        // The school first: another school's (or trust's) id is the API's 404, which the console shows as its own.
        SchoolName = (await school.GetAsync(cancellationToken: ct))?.Name ?? "";
        var effective = await school.Policy.Effective.GetAsync(cancellationToken: ct);
        var catalogue = (await api.Policy.V1.Policy.Catalogue.GetAsync(cancellationToken: ct) ?? []).ToDictionary(s => s.Key ?? "", StringComparer.Ordinal);
        PublishedVersion = effective?.PublishedVersion;
        Rows = [.. (effective?.Settings ?? []).Select(s =>
        {
            var trustValue = JsonValues.ToJson(s.TrustValue);
            var stricter = catalogue.TryGetValue(s.Key ?? "", out var definition) ? definition.StricterIs : null;
            return new Row(s.Key ?? "", JsonValues.ToJson(s.Value), s.Source ?? "trust", s.Rule ?? "", SettingText.Rule(s.Rule, stricter, trustValue), s.Conflict);
        })];
    }
}
