using Microsoft.AspNetCore.Authentication;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Trust.Platform.Client.Accounts;
using Trust.Platform.Client.Incidents;
using Trust.Platform.Client.Policy;
using Trust.Platform.Client.Training;

namespace Trust.Platform.Console.Gateway;

/// <summary>
/// The generated clients (clients/csharp), pointed at the gateway's route for each service and carrying the signed-in
/// user's own token: the services decide what this person may see, the console never widens it.
/// </summary>
public sealed class GatewayClients(IHttpClientFactory factory, IHttpContextAccessor accessor)
{
    public const string HttpClientName = "gateway";

    private HttpClient? _http;
    private BaseBearerTokenAuthenticationProvider? _auth;

    public PolicyClient Policy => field ??= new PolicyClient(Adapter("policy"));

    public IncidentsClient Incidents => field ??= new IncidentsClient(Adapter("incidents"));

    public AccountsClient Accounts => field ??= new AccountsClient(Adapter("accounts"));

    public TrainingClient Training => field ??= new TrainingClient(Adapter("training"));

    private HttpClientRequestAdapter Adapter(string service)
    {
        _http ??= factory.CreateClient(HttpClientName);
        _auth ??= new BaseBearerTokenAuthenticationProvider(new UserToken(accessor, _http.BaseAddress!.Host));
        return new HttpClientRequestAdapter(_auth, httpClient: _http) { BaseUrl = new Uri(_http.BaseAddress!, service).ToString() };
    }

    /// <summary>The access token saved with the console's session (the demo minter's, or the OIDC issuer's).</summary>
    private sealed class UserToken(IHttpContextAccessor accessor, string gatewayHost) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([gatewayHost]);

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            var context = accessor.HttpContext ?? throw new InvalidOperationException("A gateway call outside a request has no user.");
            return await context.GetTokenAsync("access_token") ?? "";
        }
    }
}
