namespace Trust.Platform.Gateway;

/// <summary>Bound from <c>Limits:*</c>: what the gateway accepts before any service sees a request.</summary>
public sealed class GatewayLimits
{
    /// <summary>The largest body any service accepts (a 10,000-person roster sync); each service still applies its own, smaller, limits.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 64;

    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>How long a client may take to send its request headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a request may take end to end, and the longest a service may stay silent.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests a minute from one client address, whoever it claims to be (the services limit per user and per key).</summary>
    public int PermitsPerMinute { get; set; } = 1200;
}
