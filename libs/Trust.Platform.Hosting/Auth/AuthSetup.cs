using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Trust.Platform.Hosting.Auth;

/// <summary>Bound from <c>Auth:*</c>. Either an OIDC authority (production) or a shared signing key (local, tests).</summary>
public sealed class AuthOptions
{
    public string? Authority { get; set; }

    public string Audience { get; set; } = "trust-platform";

    public string Issuer { get; set; } = "trust-platform-dev";

    /// <summary>HMAC key for locally minted tokens; at least 32 bytes. Never used when <see cref="Authority"/> is set.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Maps the development token minter; honoured only in the Development environment.</summary>
    public bool EnableDevTokens { get; set; }

    /// <summary>With <see cref="Authority"/>: this service's OAuth client, for its own credential (client credentials grant, RFC 6749 section 4.4).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The scope to ask the authority for with the client credentials grant, when it needs one.</summary>
    public string? ClientScope { get; set; }
}

public static class AuthSetup
{
    /// <summary>
    /// Deny by default: a mapped endpoint that declares neither who may call it nor that it is anonymous
    /// is refused for everyone. (A fallback policy would do the same but also turn the framework's
    /// 404/405/415 answers into 401/403, which hides the real problem from integrators.)
    /// </summary>
    public static Task DenyUndeclaredEndpoints(Microsoft.AspNetCore.Http.HttpContext context, Func<Task> next)
    {
        // The platform's own access declaration, not any [Authorize]: FastEndpoints puts one on every endpoint it maps.
        if (context.GetEndpoint() is Microsoft.AspNetCore.Routing.RouteEndpoint endpoint &&
            endpoint.Metadata.GetMetadata<AccessRequirement>() is null &&
            endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
        {
            context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return next();
    }

    public const string PlatformScheme = "Platform";
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>Signing algorithms accepted from an OIDC authority (asymmetric only: RFC 8725 section 3.1).</summary>
    public static readonly IReadOnlyList<string> AuthorityAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>The one algorithm of locally signed tokens.</summary>
    public static readonly IReadOnlyList<string> LocalAlgorithms = [SecurityAlgorithms.HmacSha256];

    /// <summary>Token types accepted in the <c>typ</c> header: a plain JWT, or an OAuth access token (RFC 9068 section 2.1).</summary>
    public static readonly IReadOnlyList<string> TokenTypes = ["JWT", "at+jwt"];

    /// <param name="replicatesKeys">True for the services that authenticate keys from a replica of Policy's (all but Policy).</param>
    public static IServiceCollection AddPlatformAuth(this IServiceCollection services, IConfiguration configuration, bool replicatesKeys = false)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection("Auth"));
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection("ApiKeys"));
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<AnonymousRateLimit>();
        services.AddSingleton<DevTokenIssuer>();
        // A signed-in member's roles come from the replica of Policy's appointments (every service keeps one).
        services.AddOptions<People.PeopleOptions>().Bind(configuration.GetSection("People"));
        services.AddSingleton<People.MemberGrantCache>();
        services.AddSingleton<People.MemberDirectory>();
        services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, MemberRoleClaims>();
        services.AddSingleton<ServiceCredentials>();
        services.AddHttpClient(ServiceCredentials.HttpClientName);
        if (replicatesKeys)
        {
            services.AddApiKeyReconciliation();
            People.PeopleReconciliationSetup.AddPeopleReconciliation(services);
        }

        // A trust's own identity providers (Auth:TrustIssuers): one bearer scheme each, chosen by the token's issuer.
        var trustIssuers = TrustIssuers.Read(configuration);
        services.AddAuthentication(PlatformScheme)
            .AddPolicyScheme(PlatformScheme, "Bearer token or API key", o =>
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(ApiKeySecret.HeaderName) ? ApiKeyScheme
                    : TrustIssuers.SchemeFor(context, trustIssuers) ?? JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, _ => { })
            .AddJwtBearer()
            .AddTrustIssuers(trustIssuers);

        // Configured from options, not from values read at registration, so that any configuration
        // source (including a test host's) is honoured.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, TimeProvider>((o, options, time) =>
        {
            var auth = options.Value;
            o.MapInboundClaims = false;
            o.TimeProvider = time;
            var local = string.IsNullOrWhiteSpace(auth.Authority);
            o.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = PlatformClaims.Subject,
                RoleClaimType = PlatformClaims.Role,
                ValidAudience = auth.Audience,
                ValidateAudience = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                // RFC 8725 section 3.1: accept only the algorithms this deployment signs with, never what the token's header names.
                ValidAlgorithms = local ? LocalAlgorithms : AuthorityAlgorithms,
                ValidTypes = TokenTypes,
                // The token handler would check the lifetime against the system clock; the platform clock decides instead, so a
                // token minted on a shifted clock (Clock:Now, docs/adr/0007) is valid on the same clock, and only there.
                LifetimeValidator = (notBefore, expires, _, parameters) => TokenLifetime.IsCurrent(notBefore, expires, parameters.ClockSkew, time.GetUtcNow()),
            };
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (PlatformTokenRules.Problem(context.Principal!) is { } problem)
                    {
                        context.Fail(new PlatformTokenException(problem));
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = context =>
                {
                    // Tell the integrator which rule refused the token (RFC 6750 section 3: error_description).
                    if (context.AuthenticateFailure is PlatformTokenException refused)
                    {
                        context.Error = "invalid_token";
                        context.ErrorDescription = refused.Message;
                    }

                    return Task.CompletedTask;
                },
            };
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                o.Authority = auth.Authority;
                o.Audience = auth.Audience;
            }
            else
            {
                o.TokenValidationParameters.ValidIssuer = auth.Issuer;
                o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(DevTokenIssuer.KeyBytes(auth.SigningKey));
            }
        });

        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, NotFoundForOtherSchools>();
        services.AddSingleton<IAuthorizationHandler, AccessRequirementHandler>();
        return services;
    }
}

/// <summary>RFC 7519 4.1.4 and 4.1.5: a token is used before its <c>exp</c> and not before its <c>nbf</c>, give or take the skew.</summary>
public static class TokenLifetime
{
    public static bool IsCurrent(DateTime? notBefore, DateTime? expires, TimeSpan skew, DateTimeOffset now) =>
        expires is { } exp && now.UtcDateTime < exp.ToUniversalTime() + skew &&
        (notBefore is not { } nbf || nbf.ToUniversalTime() - skew <= now.UtcDateTime);
}

/// <summary>A user of the demo trust that the development token minter can sign in as.</summary>
public sealed record DevUser(string Subject, string Name, Guid? TrustId, IReadOnlyList<string> Roles, Guid? StaffId = null);

/// <summary>Mints HMAC-signed tokens with the platform's claims for local use and tests.</summary>
public sealed class DevTokenIssuer(Microsoft.Extensions.Options.IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Why these roles cannot be minted for a user, or null: only platform roles, school roles with their school, never a service's role.</summary>
    public static string? RolesProblem(IEnumerable<string> roles)
    {
        foreach (var role in roles)
        {
            var name = role.Split(':')[0];
            if (!Roles.All.Contains(name))
            {
                return $"'{name}' is not a platform role.";
            }

            if (name == Roles.PlatformService)
            {
                return $"'{Roles.PlatformService}' belongs to the platform's services, not to a user.";
            }

            if (Roles.ClaimProblem(role) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public string Mint(DevUser user, TimeSpan? lifetime = null)
    {
        if (RolesProblem(user.Roles) is { } problem)
        {
            throw new ArgumentException(problem, nameof(user));
        }

        var auth = options.Value;
        var claims = new List<Claim> { new(PlatformClaims.Subject, user.Subject), new(PlatformClaims.Name, user.Name) };
        if (user.TrustId is { } trust)
        {
            claims.Add(new Claim(PlatformClaims.Trust, trust.ToString()));
        }

        claims.AddRange(user.Roles.Select(r => new Claim(PlatformClaims.Role, r)));
        if (user.StaffId is { } staffId)
        {
            claims.Add(new Claim(PlatformClaims.StaffId, staffId.ToString()));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityToken(
            issuer: auth.Issuer,
            audience: auth.Audience,
            claims: claims,
            notBefore: now.AddSeconds(-5),
            expires: now.Add(lifetime ?? TimeSpan.FromHours(12)),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(KeyBytes(auth.SigningKey)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    internal static byte[] KeyBytes(string? signingKey)
    {
        if (string.IsNullOrWhiteSpace(signingKey) || Encoding.UTF8.GetByteCount(signingKey) < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey must be set to at least 32 bytes when Auth:Authority is not configured.");
        }

        return Encoding.UTF8.GetBytes(signingKey);
    }
}
