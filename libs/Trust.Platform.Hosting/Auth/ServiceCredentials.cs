using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// This service's own bearer token for calls to another service (a replica reading Policy's key change feed),
/// holding the role <see cref="Roles.PlatformService"/> and no trust (docs/adr/0006):
/// <list type="bullet">
/// <item>locally (<c>Auth:SigningKey</c>, no authority) it signs one itself with the key every service already
/// validates tokens with: whoever holds that key can mint any token, so this adds no power;</item>
/// <item>with <c>Auth:Authority</c> it asks the authority with the client credentials grant (RFC 6749 section 4.4)
/// as <c>Auth:ClientId</c>/<c>Auth:ClientSecret</c>; the authority must put <c>tp_role: platform_service</c> and the
/// platform's audience in the tokens it issues to that client.</item>
/// </list>
/// A token is reused until a minute before it expires.
/// </summary>
public sealed class ServiceCredentials(IOptions<AuthOptions> options, PlatformServiceInfo service, IHttpClientFactory clients, TimeProvider time)
{
    public const string HttpClientName = "oidc-authority";

    private static readonly TimeSpan LocalLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _current;
    private Uri? _tokenEndpoint;

    public async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_current is { } current && current.ExpiresAt - RenewBefore > now)
            {
                return current.Token;
            }

            var auth = options.Value;
            _current = string.IsNullOrWhiteSpace(auth.Authority) ? Local(auth, now) : await FromAuthorityAsync(auth, now, cancellationToken);
            return _current.Value.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private (string, DateTimeOffset) Local(AuthOptions auth, DateTimeOffset now)
    {
        var expires = now + LocalLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = new Dictionary<string, object>
            {
                [PlatformClaims.Subject] = "service:" + service.Name,
                [PlatformClaims.Role] = Roles.PlatformService,
            },
            NotBefore = now.UtcDateTime.AddSeconds(-5),
            IssuedAt = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(DevTokenIssuer.KeyBytes(auth.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    private async Task<(string, DateTimeOffset)> FromAuthorityAsync(AuthOptions auth, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(auth.ClientId) || string.IsNullOrWhiteSpace(auth.ClientSecret))
        {
            throw new InvalidOperationException("Auth:ClientId and Auth:ClientSecret are required with Auth:Authority: a replica authenticates to Policy with its own client.");
        }

        var client = clients.CreateClient(HttpClientName);
        _tokenEndpoint ??= await DiscoverTokenEndpointAsync(client, auth.Authority!, cancellationToken);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (!string.IsNullOrWhiteSpace(auth.ClientScope))
        {
            form["scope"] = auth.ClientScope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        // RFC 6749 section 2.3.1: client_secret_basic, form-encoded before base64.
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(auth.ClientId)}:{Uri.EscapeDataString(auth.ClientSecret)}")));
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The authority refused this service's client credentials ({(int)response.StatusCode}).", null, response.StatusCode);
        }

        var answer = (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
        if (string.IsNullOrEmpty(answer.AccessToken))
        {
            throw new HttpRequestException("The authority's token response has no access_token.");
        }

        return (answer.AccessToken, now + TimeSpan.FromSeconds(answer.ExpiresIn is > 0 ? answer.ExpiresIn.Value : 300));
    }

    private static async Task<Uri> DiscoverTokenEndpointAsync(HttpClient client, string authority, CancellationToken cancellationToken)
    {
        var discovery = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration");
        var document = await client.GetFromJsonAsync<DiscoveryDocument>(discovery, cancellationToken);
        return document?.TokenEndpoint is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidOperationException($"The authority's discovery document names no https token_endpoint ({discovery}).");
    }

    private sealed record DiscoveryDocument([property: JsonPropertyName("token_endpoint")] string? TokenEndpoint);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
