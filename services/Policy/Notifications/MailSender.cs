using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Notifications;

/// <summary>
/// Sends the queued mail of every trust through the SMTP relay. Each message is claimed in its own transaction
/// (<c>FOR UPDATE SKIP LOCKED</c>: two replicas never send the same row), handed to the relay, and marked sent before that
/// transaction commits. A relay that refuses or cannot be reached leaves the row pending with a back-off (1 minute doubling
/// to 1 hour), so nothing is lost. The one window left is a crash between the relay's "250 OK" and the commit: the message
/// goes out again, with the same Message-ID, which receiving servers and clients use to drop the copy (RFC 5322 3.6.4).
/// </summary>
public sealed partial class MailSender(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<MailOptions> options, QueueSignal<OutgoingMail> signal, ILogger<MailSender> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromHours(1);

    /// <summary>How long idle SMTP sessions stay open for the next message before they are closed.</summary>
    private static readonly TimeSpan KeepSessionsOpen = TimeSpan.FromSeconds(15);

    /// <summary>Trusts whose pass failed, counted so that the loop waits <see cref="QueueWait.AfterFailure"/> before trying again.</summary>
    private int _failures;

    /// <summary>One pass over every trust with mail due now (tests call it directly), in sessions of its own; returns how many messages were accepted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var sessions = NewSessions();
        try
        {
            return await SendDueAsync(sessions, cancellationToken);
        }
        finally
        {
            await CloseAsync(sessions);
        }
    }

    /// <summary>
    /// One pass in <paramref name="sessions"/>, left open for the next pass: a connection per pass would be one per message
    /// when mail trickles in, and a relay slows down a client that connects that often (OpenSMTPD held one for 5 s).
    /// </summary>
    private async Task<int> SendDueAsync(Session[] sessions, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            return 0;
        }

        var now = time.GetUtcNow();
        List<Guid> trusts;
        await using (var unscoped = scopes.CreateAsyncScope())
        {
            trusts = await unscoped.ServiceProvider.GetRequiredService<PolicyDbContext>().Database
                .SqlQuery<Guid>($"SELECT policy.mail_due_trusts({now}) AS \"Value\"").ToListAsync(cancellationToken);
        }

        if (trusts.Count == 0)
        {
            return 0;
        }

        // Several sessions at once (Smtp:Connections), for a backlog (a relay answers each message only once it has stored it);
        // rows are claimed with SKIP LOCKED, so the workers never share one. Each idle worker costs one empty claim per trust.
        var sent = 0;
        await Task.WhenAll(sessions.Select(async smtp =>
        {
            foreach (var trustId in trusts)
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trustId);
                var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
                try
                {
                    while (await SendOneAsync(db, smtp, settings, cancellationToken))
                    {
                        Interlocked.Increment(ref sent);
                        db.ChangeTracker.Clear();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _failures);
                    TrustFailed(logger, trustId, ex.GetType().Name);
                }
            }
        }));
        return sent;
    }

    /// <summary>Claims, sends and marks one due message of the scope's trust; false when none is due.</summary>
    private async Task<bool> SendOneAsync(PolicyDbContext db, Session smtp, MailOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var mail = await db.OutgoingMail
            .FromSql($"SELECT * FROM policy.outgoing_mail WHERE sent_at IS NULL AND next_attempt_at <= {now} ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        if (mail is null)
        {
            return false;
        }

        mail.Attempts++;
        var message = Compose(mail, settings);
        try
        {
            try
            {
                await SendAsync(smtp, settings, message, cancellationToken);
            }
            catch (Exception ex) when (IsSessionProblem(ex))
            {
                // A relay ends sessions on its own terms (OpenSMTPD refuses a 101st message in one session with 452, a relay
                // may time an idle one out): a fresh session gets one more try before the message waits for its back-off.
                await DisconnectAsync(smtp);
                await SendAsync(smtp, settings, message, cancellationToken);
            }

            mail.SentAt = time.GetUtcNow();
            mail.LastError = null;
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or System.Net.Sockets.SocketException or IOException or SslHandshakeException or AuthenticationException)
        {
            // The reply code or the failure's type only: a relay's message may quote the address.
            mail.LastError = ex is SmtpCommandException command ? $"smtp {(int)command.StatusCode}" : ex.GetType().Name;
            mail.NextAttemptAt = now + Backoff(mail.Attempts);
            SendFailed(logger, mail.Id, mail.Attempts, mail.LastError);
            await DisconnectAsync(smtp);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return mail.SentAt is not null || mail.NextAttemptAt <= now;
    }

    /// <summary>A failure of the session rather than of the message: a transient (4xx) reply, or the connection gone.</summary>
    private static bool IsSessionProblem(Exception ex) =>
        ex is ServiceNotConnectedException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException
        || (ex is SmtpCommandException command && (int)command.StatusCode is >= 400 and < 500);

    private static async Task SendAsync(Session smtp, MailOptions settings, MimeMessage message, CancellationToken cancellationToken)
    {
        if (smtp.Client.IsConnected && smtp.Sent >= settings.MessagesPerSession)
        {
            await DisconnectAsync(smtp);
        }

        await EnsureConnectedAsync(smtp.Client, settings, cancellationToken);
        await smtp.Client.SendAsync(message, cancellationToken);
        smtp.Sent++;
    }

    private static async Task DisconnectAsync(Session smtp)
    {
        smtp.Sent = 0;
        if (smtp.Client.IsConnected)
        {
            try
            {
                await smtp.Client.DisconnectAsync(true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or SmtpProtocolException or System.Net.Sockets.SocketException or ServiceNotConnectedException)
            {
                // The session is gone either way.
            }
        }
    }

    /// <summary>An SMTP session and the messages sent in it (the hosted loop's sessions, or a pass's own when a test runs one).</summary>
    private sealed class Session : IDisposable
    {
        public SmtpClient Client { get; } = new();

        public int Sent { get; set; }

        public void Dispose() => Client.Dispose();
    }

    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts - 1, 10)));

    public static MimeMessage Compose(OutgoingMail mail, MailOptions settings)
    {
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = mail.CreatedAt,
            // Stable per row: a copy sent again after a crash carries the same id.
            MessageId = $"{mail.Id:N}@{MailboxAddress.Parse(settings.From).Domain}",
            Body = new TextPart("plain") { Text = mail.Body },
        };
        message.From.Add(new MailboxAddress(settings.FromName, settings.From));
        message.To.Add(MailboxAddress.Parse(mail.RecipientAddress));
        message.Headers.Add("Auto-Submitted", "auto-generated"); // RFC 3834: no out-of-office replies to the platform
        message.Headers.Add("X-Trust-Platform-Kind", mail.Kind);
        return message;
    }

    private static async Task EnsureConnectedAsync(SmtpClient smtp, MailOptions settings, CancellationToken cancellationToken)
    {
        if (smtp.IsConnected)
        {
            return;
        }

        var tls = settings.Tls switch
        {
            "required" => SecureSocketOptions.StartTls,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        smtp.Timeout = 30_000;
        await smtp.ConnectAsync(settings.Host, settings.Port, tls, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await smtp.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Host))
        {
            // Nothing can be sent until the service is started with a relay; the mail stays queued until then.
            NoRelay(logger);
            return;
        }

        var sessions = NewSessions();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                var failures = Volatile.Read(ref _failures);
                try
                {
                    await SendDueAsync(sessions, stoppingToken);
                    var shortest = Volatile.Read(ref _failures) == failures ? QueueWait.Shortest : QueueWait.AfterFailure;
                    wait = QueueWait.Until(await NextDueAsync(stoppingToken), time.GetUtcNow(), shortest, options.Value.IdleInterval);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    PassFailed(logger, ex);
                    wait = QueueWait.AfterFailure;
                }

                try
                {
                    if (!await signal.WaitAsync(TimeSpan.FromTicks(Math.Min(wait.Ticks, KeepSessionsOpen.Ticks)), stoppingToken) && wait > KeepSessionsOpen)
                    {
                        // Nothing to send for a while: the sessions are not kept open at the relay while the sender sleeps on.
                        // A message due sooner finds them still open (the next pass reconnects only what the relay closed).
                        foreach (var smtp in sessions)
                        {
                            await DisconnectAsync(smtp);
                        }

                        await signal.WaitAsync(wait - KeepSessionsOpen, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        finally
        {
            await CloseAsync(sessions);
        }
    }

    /// <summary>When the next queued message of any trust falls due (null when none is queued): the sender sleeps until then.</summary>
    private async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var unscoped = scopes.CreateAsyncScope();
        return await unscoped.ServiceProvider.GetRequiredService<PolicyDbContext>().Database
            .SqlQuery<DateTimeOffset?>($"SELECT policy.mail_next_due() AS \"Value\"").SingleAsync(cancellationToken);
    }

    private Session[] NewSessions() => [.. Enumerable.Range(0, options.Value.Connections).Select(_ => new Session())];

    private static async Task CloseAsync(Session[] sessions)
    {
        foreach (var smtp in sessions)
        {
            await DisconnectAsync(smtp);
            smtp.Dispose();
        }
    }

    [LoggerMessage(EventId = 7300, Level = LogLevel.Warning, Message = "MailSender: Smtp:Host is not set; notifications are queued and will be sent once a relay is configured")]
    private static partial void NoRelay(ILogger logger);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Error, Message = "MailSender: the pass failed; the next one tries again")]
    private static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Error, Message = "MailSender: trust {TrustId} failed ({Failure}); the next pass tries again")]
    private static partial void TrustFailed(ILogger logger, Guid trustId, string failure);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "MailSender: message {MailId} not accepted (attempt {Attempts}: {Failure}); it stays queued")]
    private static partial void SendFailed(ILogger logger, Guid mailId, int attempts, string failure);
}
