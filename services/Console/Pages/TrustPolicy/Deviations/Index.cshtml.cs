using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.TrustPolicy.Deviations;

/// <summary>The deviations matrix: settings a school tailored, by school (trust admins and the chair).</summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    public DeviationsResponse? Deviations { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Deviations = await api.Policy.V1.Policy.Deviations.GetAsync(cancellationToken: ct);
}
