using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.Document;

/// <summary>The school's document, previewed in a frame that shows the print view.</summary>
public sealed class IndexModel(GatewayClients api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    public string SchoolName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) =>
        SchoolName = (await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct))?.Name ?? "";
}
