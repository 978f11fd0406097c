using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.ApiKeys;

/// <summary>
/// Asks before revoking a key, then revokes it (DELETE /v1/api-keys/{id}). Another trust's key, or anyone but a trust
/// admin, is the API's 404 (or 403), which the console shows as its own 404 page.
/// </summary>
public sealed class RevokeModel(GatewayClients api, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid KeyId { get; set; }

    public ApiKeyResponse Key { get; private set; } = null!;

    public IReadOnlyDictionary<Guid, string> SchoolNames { get; private set; } = new Dictionary<Guid, string>();

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Key = await api.Policy.V1.ApiKeys[KeyId].GetAsync(cancellationToken: ct) ?? throw new InvalidOperationException("GET /v1/api-keys/{id} answered no body.");
        if (Key.SchoolIds is { Count: > 0 })
        {
            var schools = await api.Policy.V1.Schools.GetAsync(c => c.QueryParameters.Limit = 200, ct);
            SchoolNames = (schools?.Items ?? []).Where(s => s.Id is not null).ToDictionary(s => s.Id!.Value, s => s.Name ?? "");
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Read first for the name the list's banner gives; another trust's key is a 404 here, before anything is sent.
        var key = await api.Policy.V1.ApiKeys[KeyId].GetAsync(cancellationToken: ct);
        await api.Policy.V1.ApiKeys[KeyId].DeleteAsync(cancellationToken: ct);
        return Redirect($"/trust/api-keys?revoked={Uri.EscapeDataString(key?.Name ?? KeyId.ToString())}#key-{KeyId}");
    }
}
