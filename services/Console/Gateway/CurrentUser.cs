using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Console.Gateway;

/// <summary>
/// What the platform says the signed-in person may do (<c>GET /policy/v1/me</c>): their roles and the schools each
/// applies to, as the services resolve them (a member's current posts replace a token's own claims). Read once per request.
/// </summary>
public sealed class CurrentUser(GatewayClients api)
{
    private WhoAmIResponse? _me;

    public async Task<WhoAmIResponse> MeAsync(CancellationToken ct) => _me ??= await api.Policy.V1.Me.GetAsync(cancellationToken: ct)
        ?? throw new InvalidOperationException("GET /v1/me answered no body.");

    public async Task<bool> IsTrustAdminAsync(CancellationToken ct) => Holds(await MeAsync(ct), Roles.TrustAdmin);

    /// <summary>The schools where the person holds <paramref name="role"/>.</summary>
    public Task<IReadOnlyList<Guid>> SchoolsWhereAsync(string role, CancellationToken ct) => SchoolsWhereAnyAsync([role], ct);

    /// <summary>The schools where the person holds any of <paramref name="roles"/>, each once.</summary>
    public async Task<IReadOnlyList<Guid>> SchoolsWhereAnyAsync(IReadOnlyCollection<string> roles, CancellationToken ct) =>
        [.. (await MeAsync(ct)).Roles?.Where(r => r.Role is { } role && roles.Contains(role)).SelectMany(r => r.SchoolIds ?? []).OfType<Guid>().Distinct() ?? []];

    private static bool Holds(WhoAmIResponse me, string role) => me.Roles?.Any(r => r.Role == role) == true;
}
