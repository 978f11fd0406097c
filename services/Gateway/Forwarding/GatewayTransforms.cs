using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Trust.Platform.Gateway.Forwarding;

/// <summary>What every route does to the request on its way to the service and to the answer on its way back.</summary>
public static class GatewayTransforms
{
    public static void Apply(TransformBuilderContext context)
    {
        var prefix = "/" + context.Route.RouteId;
        context.AddPathRemovePrefix(prefix);

        // First drop what the client claimed about earlier hops and what it named as hop-by-hop; then set the
        // gateway's own view of the client (it is the edge: nothing in front of it is trusted).
        context.RequestTransforms.Add(new DropClientHopHeaders());
        context.AddXForwardedFor(action: ForwardedTransformActions.Set);
        context.AddXForwardedHost(action: ForwardedTransformActions.Set);
        context.AddXForwardedProto(action: ForwardedTransformActions.Set);
        context.AddRequestHeader("X-Forwarded-Prefix", prefix, append: false);
        context.AddForwarded(useHost: true, useProto: true, forFormat: NodeFormat.Ip, byFormat: NodeFormat.None,
            action: ForwardedTransformActions.Set, removeAllXForwardedHeaders: false);

        context.ResponseTransforms.Add(new DropServiceHopHeaders());
    }

    /// <summary>Header names a client uses to claim where a request came from; only the gateway's own values go on.</summary>
    private static bool IsForwardingClaim(string name) =>
        name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("X-Original-", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Real-IP", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Client-IP", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("True-Client-IP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The field names a Connection header lists (RFC 9110 section 7.6.1), from every Connection header sent.</summary>
    private static IEnumerable<string> Nominated(IEnumerable<string?> connectionValues) =>
        connectionValues.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// YARP drops the Connection header and the standard hop-by-hop fields, but forwards the fields a Connection
    /// header names (RFC 9110 section 7.6.1 says an intermediary must remove them); it also passes client
    /// forwarding claims through unless told otherwise.
    /// REVIEW: Kestrel reports a request's Connection header as just "close" when the client also asked to
    /// close, so names listed beside "close" are not seen (and so not dropped) on that last request.
    /// </summary>
    private sealed class DropClientHopHeaders : RequestTransform
    {
        public override ValueTask ApplyAsync(RequestTransformContext context)
        {
            var headers = context.HttpContext.Request.Headers;
            foreach (var name in Nominated(headers.Connection).Concat(headers.Keys.Where(IsForwardingClaim)).ToList())
            {
                RemoveHeader(context, name);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The same rule for the answer: fields the service's Connection header names stay between it and the gateway.</summary>
    private sealed class DropServiceHopHeaders : ResponseTransform
    {
        public override ValueTask ApplyAsync(ResponseTransformContext context)
        {
            if (context.ProxyResponse is { } response)
            {
                foreach (var name in Nominated(response.Headers.Connection))
                {
                    context.HttpContext.Response.Headers.Remove(name);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
