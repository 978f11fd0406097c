using System.Security.Claims;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// What a validated bearer token may not carry. A token that breaks a rule is refused as a whole (401 with
/// the rule in <c>WWW-Authenticate</c>), rather than honoured without the offending claim: an integrator whose
/// identity provider sends <c>tp_role: dsl</c> learns at once that the mapping is wrong, instead of seeing
/// some calls pass and others answer 403 or 404.
/// </summary>
public static class PlatformTokenRules
{
    /// <summary>Claims only the API-key scheme builds (from the key's row); a token carrying any of them is not a key.</summary>
    public static readonly IReadOnlyList<string> ApiKeyClaims = [PlatformClaims.KeyId, PlatformClaims.Scope, PlatformClaims.KeySchool, PlatformClaims.RateLimit];

    public static string? Problem(ClaimsPrincipal token)
    {
        if (ApiKeyClaims.FirstOrDefault(c => token.HasClaim(claim => claim.Type == c)) is { } keyClaim)
        {
            return $"A token may not carry the API-key claim '{keyClaim}': send the key as {ApiKeySecret.HeaderName}.";
        }

        return token.FindAll(PlatformClaims.Role).Select(c => Roles.ClaimProblem(c.Value)).FirstOrDefault(p => p is not null);
    }
}

/// <summary>A signed, unexpired token that a platform rule refuses.</summary>
public sealed class PlatformTokenException(string message) : Exception(message);
