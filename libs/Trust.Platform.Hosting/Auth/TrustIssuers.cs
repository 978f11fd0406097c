using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// A trust's own identity provider (Microsoft 365, Google Workspace, any OpenID Connect issuer), bound from
/// <c>Auth:TrustIssuers:{n}</c>. Its tokens carry a subject and nothing the platform understands: no <c>tp_trust</c>, no
/// platform role. The issuer names the trust; the member the subject signs in as (Policy's directory, replicated to every
/// service) names the roles.
/// </summary>
public sealed class TrustIssuer
{
    /// <summary>The token's <c>iss</c>, exactly (Entra ID: <c>https://login.microsoftonline.com/{tenant}/v2.0</c>).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Where the issuer's OpenID configuration is (<c>/.well-known/openid-configuration</c>); the issuer itself when empty.</summary>
    public string? Authority { get; set; }

    /// <summary>The platform's client id at that provider: a token for another application is refused.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The trust whose people sign in there.</summary>
    public Guid TrustId { get; set; }
}

/// <summary>
/// One bearer scheme per trust issuer, chosen by the unvalidated token's <c>iss</c> before validation (the scheme then
/// validates signature, issuer, audience and lifetime against that provider's own keys). A validated token is rewritten:
/// <c>tp_trust</c> becomes the trust configured for the issuer, and whatever platform claims the provider put in it
/// (<c>tp_trust</c>, <c>tp_role</c>, <c>tp_staff</c>) are dropped, so a trust's administrator of their own directory
/// cannot grant platform roles or reach another trust: only appointments in the platform do.
/// </summary>
public static class TrustIssuers
{
    public const string SchemePrefix = "TrustIssuer:";

    /// <summary>The configured issuers, validated: each needs an issuer, an audience and a trust; an issuer appears once.</summary>
    public static IReadOnlyList<TrustIssuer> Read(IConfiguration configuration)
    {
        var issuers = configuration.GetSection("Auth:TrustIssuers").Get<List<TrustIssuer>>() ?? [];
        foreach (var issuer in issuers)
        {
            if (string.IsNullOrWhiteSpace(issuer.Issuer) || string.IsNullOrWhiteSpace(issuer.Audience) || issuer.TrustId == Guid.Empty)
            {
                throw new InvalidOperationException("Each Auth:TrustIssuers entry needs Issuer, Audience and TrustId.");
            }
        }

        if (issuers.GroupBy(i => i.Issuer, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Auth:TrustIssuers names the issuer '{twice.Key}' twice: an issuer signs in the people of one trust.");
        }

        return issuers;
    }

    public static AuthenticationBuilder AddTrustIssuers(this AuthenticationBuilder builder, IReadOnlyList<TrustIssuer> issuers)
    {
        foreach (var issuer in issuers)
        {
            var scheme = SchemePrefix + issuer.Issuer;
            builder.AddJwtBearer(scheme);
            builder.Services.AddOptions<JwtBearerOptions>(scheme).Configure<TimeProvider>((o, time) =>
            {
                var authority = new Uri(string.IsNullOrWhiteSpace(issuer.Authority) ? issuer.Issuer : issuer.Authority);
                o.Authority = authority.ToString().TrimEnd('/');
                // Metadata over https, except a provider on this machine (the suite's).
                o.RequireHttpsMetadata = !authority.IsLoopback;
                o.MapInboundClaims = false;
                o.TimeProvider = time;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer.Issuer,
                    ValidAudience = issuer.Audience,
                    ValidateAudience = true,
                    NameClaimType = PlatformClaims.Subject,
                    RoleClaimType = PlatformClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidAlgorithms = AuthSetup.AuthorityAlgorithms,
                    ValidTypes = AuthSetup.TokenTypes,
                    // As the platform's own tokens: the platform clock judges the lifetime (docs/adr/0007).
                    LifetimeValidator = (notBefore, expires, _, parameters) => TokenLifetime.IsCurrent(notBefore, expires, parameters.ClockSkew, time.GetUtcNow()),
                };
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        context.Principal = AsMemberOf(context.Principal!, issuer);
                        return Task.CompletedTask;
                    },
                };
            });
        }

        return builder;
    }

    /// <summary>The scheme for a bearer token's issuer, or null when no trust issuer signed it (read without validating: the scheme validates).</summary>
    public static string? SchemeFor(HttpContext context, IReadOnlyList<TrustIssuer> issuers)
    {
        if (issuers.Count == 0 || context.Request.Headers.Authorization.ToString() is not { } header ||
            !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token))
        {
            return null;
        }

        var iss = handler.ReadJsonWebToken(token).Issuer;
        return issuers.Any(i => string.Equals(i.Issuer, iss, StringComparison.Ordinal)) ? SchemePrefix + iss : null;
    }

    /// <summary>The provider's principal as the platform reads it: the configured trust, and no platform claim of the provider's.</summary>
    public static ClaimsPrincipal AsMemberOf(ClaimsPrincipal principal, TrustIssuer issuer)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        var claims = identity.Claims
            .Where(c => c.Type is not (PlatformClaims.Trust or PlatformClaims.Role or PlatformClaims.StaffId) && !PlatformTokenRules.ApiKeyClaims.Contains(c.Type))
            .Append(new Claim(PlatformClaims.Trust, issuer.TrustId.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
    }
}
