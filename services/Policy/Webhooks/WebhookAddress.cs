using System.Net;
using System.Net.Sockets;

namespace Trust.Platform.Policy.Webhooks;

/// <summary>
/// Where a webhook may point. The platform makes the request, from inside its own network, to an address a trust admin
/// typed: without these checks a subscription could read or poke internal services (the database, the broker, a cloud
/// metadata endpoint). So: HTTPS to a public address only, checked when subscribing and again on every connection
/// (a name that later resolves to a private address, DNS rebinding, is refused at connect time), no redirects followed.
/// Hosts in Webhooks:PrivateHostsAllowed are the operator's explicit exceptions (and may use plain http).
/// </summary>
public sealed class WebhookAddress(IReadOnlyCollection<string> privateHostsAllowed)
{
    public const int MaxLength = 2000;

    /// <summary>Why <paramref name="url"/> cannot be subscribed, or null when it can.</summary>
    public string? Problem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "Must be an absolute https:// URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry a user name or password; the signature authenticates the platform.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "Must not have a #fragment.";
        }

        var allowed = IsAllowedPrivate(uri.IdnHost);
        if (uri.Scheme == Uri.UriSchemeHttp && !allowed)
        {
            return "Must use https: event bodies and signatures are not sent in clear text.";
        }

        if (!allowed && (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6) && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) && !IsPublic(ip))
        {
            return "Must be a public address: the platform does not call private, loopback or link-local addresses.";
        }

        if (!allowed && uri.HostNameType == UriHostNameType.Dns && (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || !uri.IdnHost.Contains('.', StringComparison.Ordinal)))
        {
            return "Must be a public host name (a fully qualified domain).";
        }

        return null;
    }

    public bool IsAllowedPrivate(string host) =>
        privateHostsAllowed.Any(h => string.Equals(h.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The connection the webhook client makes: resolves the name itself and refuses any non-public address.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!IsAllowedPrivate(host) && addresses.Any(a => !IsPublic(a)))
        {
            throw new WebhookAddressRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8));
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 when v4[1] is >= 64 and <= 127 => false, // carrier-grade NAT (RFC 6598)
            169 when v4[1] == 254 => false, // link-local, cloud metadata
            172 when v4[1] is >= 16 and <= 31 => false,
            192 when v4[1] == 168 || (v4[1] == 0 && v4[2] is 0 or 2) => false,
            198 when v4[1] is 18 or 19 || (v4[1] == 51 && v4[2] == 100) => false,
            203 when v4[1] == 0 && v4[2] == 113 => false,
            >= 224 => false, // multicast and reserved
            _ => true,
        };
    }
}

/// <summary>A webhook's name resolved to an address the platform does not call.</summary>
public sealed class WebhookAddressRefusedException() : IOException("The webhook's host resolves to a non-public address.");
