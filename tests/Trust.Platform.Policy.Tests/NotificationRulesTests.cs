using System.Net;
using Trust.Platform.Policy.Notifications;
using Trust.Platform.Policy.Webhooks;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>The pure rules of mail and webhooks: back-off, signatures, which addresses are called. No servers.</summary>
[Trait("Category", "Unit")]
public sealed class NotificationRulesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(7, 60)]
    [InlineData(30, 60)]
    public void The_back_off_doubles_from_a_minute_to_an_hour(int attempts, int minutes) =>
        MailSender.Backoff(attempts).Should().Be(TimeSpan.FromMinutes(minutes));

    [Fact]
    public void A_tampered_body_or_a_stale_timestamp_does_not_verify()
    {
        var secret = WebhookSigner.Secret(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), [1, 2, 3]);
        var header = WebhookSigner.Sign(secret, TestClock.Now, """{"id":"x"}""");
        WebhookSigner.Verify(secret, header, """{"id":"x"}""", TestClock.Now, TimeSpan.FromMinutes(5)).Should().BeTrue();
        WebhookSigner.Verify(secret, header, """{"id":"y"}""", TestClock.Now, TimeSpan.FromMinutes(5)).Should().BeFalse();
        WebhookSigner.Verify(secret + "x", header, """{"id":"x"}""", TestClock.Now, TimeSpan.FromMinutes(5)).Should().BeFalse();
        WebhookSigner.Verify(secret, header, """{"id":"x"}""", TestClock.Now.AddMinutes(6), TimeSpan.FromMinutes(5)).Should().BeFalse("a captured request replayed later is refused");
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", true)]
    public void Only_public_addresses_are_called(string address, bool isPublic) =>
        WebhookAddress.IsPublic(IPAddress.Parse(address)).Should().Be(isPublic);

    [Fact]
    public async Task A_connection_to_a_private_address_is_refused_when_it_is_made()
    {
        var guard = new WebhookAddress([]);
        var act = () => guard.ConnectAsync(ConnectContext("127.0.0.1", 9), CancellationToken.None).AsTask();
        await act.Should().ThrowAsync<WebhookAddressRefusedException>();
    }

    private static SocketsHttpConnectionContext ConnectContext(string host, int port)
    {
        // The context has no public constructor; this is how SocketsHttpHandler builds it.
        var constructor = typeof(SocketsHttpConnectionContext).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)[0];
        return (SocketsHttpConnectionContext)constructor.Invoke([new DnsEndPoint(host, port), new HttpRequestMessage(HttpMethod.Post, $"https://{host}:{port}/")]);
    }
}
