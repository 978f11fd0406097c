namespace Trust.Platform.Console;

/// <summary>The console's configuration (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    /// <summary>The gateway every API call goes through (http://127.0.0.1:5100 locally).</summary>
    public Uri? GatewayUrl { get; set; }

    /// <summary>Real sign-in: an OpenID Connect issuer (authorisation code with PKCE).</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>Development only: the "choose a demo user" page, with tokens from Policy's development minter.</summary>
    public bool EnableDemoSignIn { get; set; }

    /// <summary>Policy's own address (the minter answers loopback callers that no proxy forwarded, so never the gateway).</summary>
    public Uri? DevTokenUrl { get; set; }

    public List<DemoUser> DemoUsers { get; set; } = [];

    /// <summary>How long a console session lasts; a demo token lives 12 h, so a session never outlives its token.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

public sealed class OidcOptions
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes besides openid and profile, e.g. the API's audience scope.</summary>
    public List<string> Scopes { get; set; } = [];
}

/// <summary>A person of the demo trust (the seed's users: <c>seed-demo</c> prints a token for each).</summary>
public sealed class DemoUser
{
    public string Subject { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public Guid? TrustId { get; set; }

    public List<string> Roles { get; set; } = [];
}
