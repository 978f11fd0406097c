using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The one resilience pipeline for the HTTP calls the platform makes itself (the replicas' reconciliation with Policy,
/// the console's calls through the gateway): Microsoft.Extensions.Http.Resilience's standard handler, so a dropped
/// connection, a timeout, a 5xx, 408 or 429 (and the 503 a service answers while its database is unreachable, after its
/// <c>Retry-After</c>) is retried with jittered exponential backoff, each attempt and the whole call bounded, and a
/// circuit breaker stops hammering a peer that keeps failing. Only safe methods are retried: a POST, PUT or DELETE is
/// sent once (the caller decides, with its Idempotency-Key or If-Match). Webhook deliveries keep their own day-long,
/// recorded retries and do not use it.
/// </summary>
public static class OutgoingHttp
{
    /// <summary>The whole call, retries included (the standard handler's default).</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(30);

    public static IHttpClientBuilder AddPlatformResilience(this IHttpClientBuilder builder)
    {
        // HttpClient.Timeout would cut the retries short: the pipeline's total timeout bounds the call instead.
        builder.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddStandardResilienceHandler(options =>
        {
            options.Retry.DisableForUnsafeHttpMethods();
            options.TotalRequestTimeout.Timeout = TotalTimeout;
        });
        return builder;
    }
}
