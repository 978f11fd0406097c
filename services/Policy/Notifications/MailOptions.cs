using System.ComponentModel.DataAnnotations;

namespace Trust.Platform.Policy.Notifications;

/// <summary>The SMTP relay the platform sends through (configuration section <c>Smtp</c>).</summary>
public sealed class MailOptions
{
    public const string Section = "Smtp";

    /// <summary>The relay; the local one is OpenSMTPD on loopback (deploy/local/servers.sh). Empty: mail is queued, not sent.</summary>
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Credentials for a relay that asks for them (a provider's submission port); none on loopback.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>STARTTLS when the relay offers it (<c>auto</c>), always (<c>required</c>) or never (<c>none</c>, loopback only).</summary>
    [RegularExpression("^(auto|required|none)$")]
    public string Tls { get; set; } = "auto";

    [Required]
    [EmailAddress]
    public string From { get; set; } = "notifications@trust-platform.invalid";

    public string FromName { get; set; } = "Trust Platform";

    /// <summary>Where links in a message point (the web console); a message carries a link, never a case's details.</summary>
    [Required]
    [Url]
    public string ConsoleBaseUrl { get; set; } = "http://127.0.0.1:5105";

    /// <summary>Messages sent in one SMTP session before the sender starts a new one (relays cap them: OpenSMTPD at 100).</summary>
    [Range(1, 10_000)]
    public int MessagesPerSession { get; set; } = 50;

    /// <summary>SMTP sessions a pass sends through at once (each message waits for the relay to write it to disk).</summary>
    [Range(1, 16)]
    public int Connections { get; set; } = 4;

    /// <summary>The hour (0-23, in <see cref="DigestTimeZone"/>) at which each member's daily digest gathers what was held for it.</summary>
    [Range(0, 23)]
    public int DigestHour { get; set; } = 7;

    /// <summary>The IANA zone of <see cref="DigestHour"/> (every school of the seeds is in England).</summary>
    public string DigestTimeZone { get; set; } = "Europe/London";

    /// <summary>
    /// The safety poll: the longest the sender sleeps when no queued message falls due sooner and no commit wakes it. Mail
    /// that a replica queued and stopped before sending waits at most this long for another replica.
    /// </summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(2);
}
