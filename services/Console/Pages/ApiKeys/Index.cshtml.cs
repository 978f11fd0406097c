using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.ApiKeys;

/// <summary>
/// The trust's API keys as the API lists them (trust admins only: anyone else's 403 is the console's 404 page): never a
/// key's secret, only its prefix.
/// </summary>
public sealed class IndexModel(GatewayClients api, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>The key just revoked, named in a banner.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Revoked { get; set; }

    public IReadOnlyList<ApiKeyResponse> Keys { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> SchoolNames { get; private set; } = new Dictionary<Guid, string>();

    public string? NextCursor { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        var page = await api.Policy.V1.ApiKeys.GetAsync(c =>
        {
            c.QueryParameters.Limit = PageSize;
            c.QueryParameters.Cursor = Cursor is { Length: > 0 } ? Cursor : null;
        }, ct);
        Keys = page?.Items ?? [];
        NextCursor = page?.NextCursor;
        if (Keys.Any(k => k.SchoolIds is { Count: > 0 }))
        {
            SchoolNames = (await Gateway.Schools.AllAsync(api.Policy, ct)).ToDictionary(s => s.Id!.Value, s => s.Name ?? "");
        }
    }
}
