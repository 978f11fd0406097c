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
        if (context.GetEndpoint() is Microsoft.AspNetCore.Routing.RouteEndpoint endpoint &&
            endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is null &&
            endpoint.Metadata.GetMetadata<IAuthorizeData>() is null &&
            endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
        {
            context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return next();
    }

    public const string PlatformScheme = "Platform";
    public const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddPlatformAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection("Auth"));
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection("ApiKeys"));
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<DevTokenIssuer>();

        services.AddAuthentication(PlatformScheme)
            .AddPolicyScheme(PlatformScheme, "Bearer token or API key", o =>
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(ApiKeySecret.HeaderName) ? ApiKeyScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, _ => { })
            .AddJwtBearer();

        // Configured from options, not from values read at registration, so that any configuration
        // source (including a test host's) is honoured.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, TimeProvider>((o, options, time) =>
        {
            var auth = options.Value;
            o.MapInboundClaims = false;
            o.TimeProvider = time;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = PlatformClaims.Subject,
                RoleClaimType = PlatformClaims.Role,
                ValidAudience = auth.Audience,
                ValidateAudience = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                // The token handler would check the lifetime against the system clock; the platform clock decides instead, so a
                // token minted on a shifted clock (Clock:Now, docs/adr/0007) is valid on the same clock, and only there.
                LifetimeValidator = (notBefore, expires, _, parameters) => TokenLifetime.IsCurrent(notBefore, expires, parameters.ClockSkew, time.GetUtcNow()),
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
    public string Mint(DevUser user, TimeSpan? lifetime = null)
    {
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
