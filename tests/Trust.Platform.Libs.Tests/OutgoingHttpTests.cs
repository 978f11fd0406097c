using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Libs.Tests;

/// <summary>The platform's pipeline for its own outgoing calls (<see cref="OutgoingHttp"/>): pure logic, no server needed.</summary>
public sealed class OutgoingHttpTests
{
    /// <summary>Answers 503 to the first <paramref name="failures"/> requests, then 200; counts what reached it.</summary>
    private sealed class FlakyPeer(int failures) : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(Interlocked.Increment(ref Requests) <= failures ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
    }

    private static (HttpClient Client, FlakyPeer Peer) Client(int failures)
    {
        var peer = new FlakyPeer(failures);
        var services = new ServiceCollection();
        services.AddHttpClient("peer", c => c.BaseAddress = new Uri("http://peer.invalid")).AddPlatformResilience().ConfigurePrimaryHttpMessageHandler(() => peer);
        // The platform's backoff starts at 2 s; the test shortens only the wait, not what is retried.
        services.Configure<HttpStandardResilienceOptions>("peer-standard", o => o.Retry.Delay = TimeSpan.FromMilliseconds(1));
        return (services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("peer"), peer);
    }

    [Fact]
    public async Task A_get_that_meets_a_503_is_tried_again_and_succeeds()
    {
        var (client, peer) = Client(failures: 2);
        using var response = await client.GetAsync("/v1/api-keys/changes");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        peer.Requests.Should().Be(3);
    }

    [Fact]
    public async Task A_post_is_sent_once_whatever_it_meets()
    {
        var (client, peer) = Client(failures: 1);
        using var response = await client.PostAsync("/v1/cases", new StringContent("{}"));
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the caller decides whether to send it again");
        peer.Requests.Should().Be(1);
    }

    [Fact]
    public async Task A_peer_that_keeps_failing_is_given_up_on_after_the_retries()
    {
        var (client, peer) = Client(failures: int.MaxValue);
        using var response = await client.GetAsync("/v1/people/changes");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        peer.Requests.Should().Be(4, "one attempt and the standard three retries");
    }
}
