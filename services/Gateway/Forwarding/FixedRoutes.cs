using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Trust.Platform.Gateway.Forwarding;

/// <summary>
/// The gateway's route table: one route and one cluster per service, fixed in code, with the destination
/// address read from <c>Services:{service}</c> once. <c>/policy/{**rest}</c> goes to the policy cluster with
/// the prefix removed, and so on; the destination is never taken from the request.
/// </summary>
public sealed class FixedRoutes(IConfiguration configuration, IOptions<GatewayLimits> limits) : IProxyConfigProvider
{
    private readonly Lazy<IProxyConfig> _config = new(() => Build(configuration, limits.Value));

    public IProxyConfig GetConfig() => _config.Value;

    /// <summary>Each service's base address, checked: an absolute http(s) URL with nothing after the authority.</summary>
    public static IReadOnlyDictionary<string, Uri> Destinations(IConfiguration configuration) => GatewayService.Services.ToDictionary(s => s, s =>
    {
        var value = configuration[$"Services:{s}"] ?? throw new InvalidOperationException($"Services:{s} (the {s} service's base URL) is required.");
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"Services:{s} must be an absolute http or https URL with no path, query or credentials.");
        }

        return uri;
    });

    private static ProxyConfig Build(IConfiguration configuration, GatewayLimits limits)
    {
        var destinations = Destinations(configuration);
        var routes = GatewayService.Services.Select(s => new RouteConfig
        {
            RouteId = s,
            ClusterId = s,
            Match = new RouteMatch { Path = $"/{s}/{{**rest}}" },
        }).ToList();
        var clusters = GatewayService.Services.Select(s => new ClusterConfig
        {
            ClusterId = s,
            Destinations = new Dictionary<string, DestinationConfig> { [s] = new() { Address = destinations[s].ToString() } },
            // The longest a service may stay silent; the request timeout bounds the whole exchange.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = limits.RequestTimeout },
        }).ToList();
        return new ProxyConfig(routes, clusters);
    }

    private sealed class ProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        // The table never changes while the process runs.
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
