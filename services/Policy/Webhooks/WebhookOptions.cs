namespace Trust.Platform.Policy.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The key every subscription's signing secret is derived from (32 bytes or more, hex or base64, from the secrets
    /// store). Rotating it changes every secret: subscribers must take the new one (delete and subscribe again).
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Host names or IP addresses a subscription may use although they are not public (an on-premises receiver, the test
    /// receiver on loopback); plain http is accepted for these only. Empty by default: only public HTTPS endpoints.
    /// </summary>
    public List<string> PrivateHostsAllowed { get; set; } = [];

    /// <summary>The first retry's wait; each next one doubles, up to <see cref="LongestWait"/>.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LongestWait { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a delivery is retried before it is given up (it can still be replayed).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The safety poll: the longest the deliverer sleeps when no delivery falls due sooner and no commit wakes it (a
    /// delivery that a replica queued and stopped before posting waits at most this long for another replica).
    /// </summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(2);
}
