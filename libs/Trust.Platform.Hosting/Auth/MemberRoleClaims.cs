using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Trust.Platform.Hosting.People;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// Gives a signed-in member the roles of their appointments. A bearer token from any OIDC issuer needs only the subject and
/// the trust: when the trust has a member who signs in as that subject, the replica decides, and the token's own
/// <c>tp_role</c> and <c>tp_staff</c> claims are replaced (a post the trust ended stops counting within seconds, whatever a
/// token minted before says). A subject the trust has no member for keeps the token's claims: the development tokens of
/// the demo and the tests, and identity providers that send platform roles themselves.
/// </summary>
public sealed class MemberRoleClaims(MemberDirectory members) : IClaimsTransformation
{
    public const string IssuerClaim = "iss";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        // API keys carry scopes from their own row; only a person's token is resolved.
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity || identity.AuthenticationType == AuthSetup.ApiKeyScheme ||
            !Guid.TryParse(principal.FindFirst(PlatformClaims.Trust)?.Value, out var trust) ||
            principal.FindFirst(PlatformClaims.Subject)?.Value is not { Length: > 0 } subject)
        {
            return principal;
        }

        var grants = await members.FindAsync(trust, principal.FindFirst(IssuerClaim)?.Value ?? "", subject, CancellationToken.None);
        if (grants is null)
        {
            return principal;
        }

        // Applying this twice (the policy scheme forwards, and each authentication transforms) gives the same principal.
        var claims = identity.Claims.Where(c => c.Type is not (PlatformClaims.Role or PlatformClaims.StaffId)).ToList();
        claims.AddRange(grants.RoleClaims.Select(r => new Claim(PlatformClaims.Role, r)));
        if (grants.StaffId is { } staffId)
        {
            claims.Add(new Claim(PlatformClaims.StaffId, staffId.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
    }
}
