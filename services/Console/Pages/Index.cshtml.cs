using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Console.Pages;

/// <summary>The start page: what this person can open, from the roles the platform gives them.</summary>
public sealed class IndexModel(GatewayClients api, CurrentUser user) : PageModel
{
    public bool TrustAdmin { get; private set; }

    public IReadOnlyList<SchoolResponse> Schools { get; private set; } = [];

    /// <summary>The schools whose cases this person holds as a DSL: their case pages are linked.</summary>
    public IReadOnlyList<Guid> DslOf { get; private set; } = [];

    /// <summary>The schools where this person is on the staff (any post there): they report cases and ask for blocked sites there.</summary>
    public IReadOnlyList<Guid> StaffOf { get; private set; } = [];

    /// <summary>Whether the school's settings, document, compliance and account applications are this person's pages (the CEO's, or the headteacher's).</summary>
    public bool Tailors(Guid? school) => TrustAdmin || (school is { } id && _headOf.Contains(id));

    private IReadOnlyList<Guid> _headOf = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        TrustAdmin = await user.IsTrustAdminAsync(ct);
        var headOf = _headOf = await user.SchoolsWhereAsync(Roles.Headteacher, ct);
        DslOf = await user.SchoolsWhereAsync(Roles.Dsl, ct);
        StaffOf = await user.SchoolsWhereAnyAsync([.. RoleSets.SchoolStaff], ct);
        if (!TrustAdmin && StaffOf.Count == 0)
        {
            return;
        }

        Schools = [.. (await Gateway.Schools.AllAsync(api.Policy, ct)).Where(s => Tailors(s.Id) || (s.Id is { } id && StaffOf.Contains(id))).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }
}
