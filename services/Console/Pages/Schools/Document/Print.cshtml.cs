using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.Schools.Document;

/// <summary>
/// The print-ready page Policy renders (<c>format=html</c>), as Policy sent it: the HTML is already escaped and
/// sanitised there, and Policy's Content-Security-Policy comes with it, changed only to let the console's own preview
/// page frame it.
/// </summary>
public sealed class PrintModel(GatewayClients api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await using var body = await api.Policy.V1.Schools[SchoolId].Policy.Document.GetAsync(c =>
        {
            c.QueryParameters.Format = "html";
            c.Options.Add(inspect);
        }, ct);
        using var reader = new StreamReader(body ?? Stream.Null);
        var html = await reader.ReadToEndAsync(ct);
        var csp = inspect.ResponseHeaders.TryGetValue("Content-Security-Policy", out var values) ? values.FirstOrDefault() : null;
        Response.Headers.ContentSecurityPolicy = FramedBySelf(csp);
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return Content(html, "text/html; charset=utf-8");
    }

    /// <summary>Policy's policy with <c>frame-ancestors 'self'</c>; without one, a policy that allows nothing but styles.</summary>
    private static string FramedBySelf(string? csp)
    {
        var directives = (csp ?? "default-src 'none'; style-src 'unsafe-inline'")
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(d => !d.StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase));
        return string.Join("; ", directives.Append("frame-ancestors 'self'"));
    }
}
