using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Trust.Platform.Console.SignIn;

/// <summary>
/// Gets a development token for a demo user from Policy's minter (<c>POST /dev/tokens</c>), which answers only a
/// caller on the same machine that no proxy forwarded: the console calls Policy directly, never through the gateway.
/// </summary>
public sealed class DevTokens(IHttpClientFactory factory, IOptions<ConsoleOptions> options)
{
    public const string HttpClientName = "dev-tokens";

    private sealed record MintRequest(string Subject, string Name, Guid? TrustId, IReadOnlyList<string> Roles);

    private sealed record MintResponse(string AccessToken, string TokenType);

    public async Task<string> MintAsync(DemoUser user, CancellationToken ct)
    {
        var http = factory.CreateClient(HttpClientName);
        var minter = new Uri(options.Value.DevTokenUrl!, "/dev/tokens");
        using var response = await http.PostAsJsonAsync(minter, new MintRequest(user.Subject, user.Name, user.TrustId, user.Roles), ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The development token minter at {minter} answered {(int)response.StatusCode}; is Policy running in Development with Auth:EnableDevTokens?");
        }

        var minted = await response.Content.ReadFromJsonAsync<MintResponse>(ct);
        return minted?.AccessToken ?? throw new InvalidOperationException("The development token minter answered no token.");
    }
}
