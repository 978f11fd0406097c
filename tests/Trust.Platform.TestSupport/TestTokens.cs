using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.TestSupport;

/// <summary>
/// Tokens the development minter would never issue: any claims, any algorithm, any <c>typ</c>, signed
/// with the service's own local signing key (or not signed at all), as an attacker or a misconfigured
/// identity provider would send them.
/// </summary>
public static class TestTokens
{
    /// <summary>A token signed with the service's <c>Auth:SigningKey</c>; claim values may be strings or string arrays.</summary>
    public static string Sign<TEntry>(
        WebApplicationFactory<TEntry> service, IReadOnlyDictionary<string, object> claims, string algorithm = SecurityAlgorithms.HmacSha256, string type = "JWT")
        where TEntry : class
    {
        var auth = service.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var now = TestClock.Now.UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = claims.ToDictionary(c => c.Key, c => c.Value),
            NotBefore = now.AddSeconds(-5),
            IssuedAt = now,
            Expires = now.AddMinutes(10),
            TokenType = type,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!)), algorithm),
        });
    }

    /// <summary>An unsecured JWT (RFC 7519 section 6: <c>alg: none</c>, empty signature) with the service's issuer and audience.</summary>
    public static string Unsigned<TEntry>(WebApplicationFactory<TEntry> service, IReadOnlyDictionary<string, object> claims)
        where TEntry : class
    {
        var auth = service.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var now = TestClock.Now;
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = auth.Issuer, ["aud"] = auth.Audience, ["nbf"] = now.AddSeconds(-5).ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.";
    }

    /// <summary>The claims of a user of <paramref name="trust"/> holding <paramref name="roles"/> exactly as written.</summary>
    public static Dictionary<string, object> User(Guid trust, params string[] roles) => new()
    {
        [PlatformClaims.Subject] = "crafted-" + Guid.NewGuid().ToString("N")[..8],
        [PlatformClaims.Name] = "Crafted token",
        [PlatformClaims.Trust] = trust.ToString(),
        [PlatformClaims.Role] = roles,
    };

    /// <summary>School roles with no school: before the fix, each granted its role for every school of the trust.</summary>
    public static readonly string[] SchoolRolesWithoutSchool = [Roles.Headteacher, Roles.Dsl, Roles.Staff, Roles.MarketingOfficer, Roles.IctTechnician];

    public static HttpClient ClientWithToken<TEntry>(this WebApplicationFactory<TEntry> service, string token)
        where TEntry : class
    {
        var client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>
/// Counts the API-key lookups (<c>api_key_find</c>) a service makes in one database, from Npgsql's own
/// tracing: what reached PostgreSQL, whatever the service's code believes it did.
/// </summary>
public sealed class KeyLookupCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _count;

    public KeyLookupCounter(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.namespace") as string == database &&
                    activity.GetTagItem("db.query.text") is string text && text.Contains("api_key_find", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _count);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
