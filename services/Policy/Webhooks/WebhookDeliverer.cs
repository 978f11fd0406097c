using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Webhooks;

/// <summary>
/// Posts due deliveries to their subscriptions. Each delivery is claimed in its own transaction (<c>FOR UPDATE SKIP
/// LOCKED</c>), posted, and its attempt recorded before that transaction commits: any 2xx marks it delivered; anything
/// else (a status, a timeout, a refused connection, a non-public address) waits <see cref="WebhookOptions.FirstRetry"/>,
/// doubling up to <see cref="WebhookOptions.LongestWait"/>, until <see cref="WebhookOptions.RetryFor"/> after the event,
/// when it is given up (a trust admin can still replay it). Receivers de-duplicate on the event id header: a crash between
/// the receiver's answer and the commit sends the delivery again.
/// </summary>
public sealed partial class WebhookDeliverer(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<WebhookOptions> options, WebhookKey key, IHttpClientFactory clients,
    Notifications.QueueSignal<WebhookDelivery> signal, ILogger<WebhookDeliverer> logger) : BackgroundService
{
    public const string ClientName = "webhooks";

    /// <summary>Trusts whose pass failed, counted so that the loop waits <see cref="QueueWait.AfterFailure"/> before trying again.</summary>
    private int _failures;

    /// <summary>One pass over every trust with deliveries due now (tests call it directly); returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> trusts;
        await using (var unscoped = scopes.CreateAsyncScope())
        {
            trusts = await unscoped.ServiceProvider.GetRequiredService<PolicyDbContext>().Database
                .SqlQuery<Guid>($"SELECT policy.webhook_due_trusts({now}) AS \"Value\"").ToListAsync(cancellationToken);
        }

        var delivered = 0;
        foreach (var trustId in trusts)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trustId);
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            try
            {
                bool? outcome;
                while ((outcome = await DeliverOneAsync(db, cancellationToken)) is not null)
                {
                    delivered += outcome.Value ? 1 : 0;
                    db.ChangeTracker.Clear();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _failures++;
                TrustFailed(logger, trustId, ex.GetType().Name);
            }
        }

        return delivered;
    }

    /// <summary>Claims and posts one due delivery; null when none is due, else whether the receiver took it.</summary>
    private async Task<bool?> DeliverOneAsync(PolicyDbContext db, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var delivery = await db.WebhookDeliveries
            .FromSql($"SELECT * FROM policy.webhook_deliveries WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= {now} ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        delivery.Attempts++;
        var attempt = new WebhookAttempt { TrustId = delivery.TrustId, DeliveryId = delivery.Id, Attempt = delivery.Attempts, AttemptedAt = now };
        if (subscription.DisabledAt is not null)
        {
            attempt.Outcome = "subscription_disabled";
            delivery.GaveUpAt = now;
        }
        else
        {
            var watch = Stopwatch.StartNew();
            (attempt.StatusCode, attempt.Outcome) = await PostAsync(subscription, delivery, settings, now, cancellationToken);
            attempt.DurationMs = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
            if (attempt.StatusCode is >= 200 and < 300)
            {
                delivery.DeliveredAt = time.GetUtcNow();
            }
            else
            {
                var next = now + Wait(delivery.Attempts, settings);
                if (next > delivery.CreatedAt + settings.RetryFor)
                {
                    delivery.GaveUpAt = now;
                }
                else
                {
                    delivery.NextAttemptAt = next;
                }

                AttemptFailed(logger, delivery.Id, delivery.Attempts, attempt.Outcome);
            }
        }

        db.WebhookAttempts.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return delivery.DeliveredAt is not null;
    }

    private async Task<(int? Status, string Outcome)> PostAsync(
        WebhookSubscription subscription, WebhookDelivery delivery, WebhookOptions settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(WebhookSigner.Secret(key.Bytes, subscription.SecretSalt), now, delivery.Payload));
        request.Headers.Add("Trust-Platform-Event-Id", delivery.EventId.ToString());
        request.Headers.Add("Trust-Platform-Event-Type", delivery.EventType);
        request.Headers.Add("Trust-Platform-Delivery-Id", delivery.Id.ToString());
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TrustPlatform-Webhooks", "1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return ((int)response.StatusCode, $"http {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "timeout");
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookAddressRefusedException)
        {
            return (null, "address_not_public");
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "name_not_resolved",
                HttpRequestError.ConnectionError => "connection_failed",
                HttpRequestError.SecureConnectionError => "tls_failed",
                _ => "request_failed",
            });
        }
    }

    public static TimeSpan Wait(int attempts, WebhookOptions settings) =>
        TimeSpan.FromTicks(Math.Min(settings.LongestWait.Ticks, settings.FirstRetry.Ticks << Math.Min(attempts - 1, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            var failures = _failures;
            try
            {
                await DeliverDueAsync(stoppingToken);
                var shortest = _failures == failures ? QueueWait.Shortest : QueueWait.AfterFailure;
                wait = QueueWait.Until(await NextDueAsync(stoppingToken), time.GetUtcNow(), shortest, options.Value.IdleInterval);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                PassFailed(logger, ex);
                wait = QueueWait.AfterFailure;
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>When the next pending delivery of any trust falls due (null when none is pending): the deliverer sleeps until then.</summary>
    private async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var unscoped = scopes.CreateAsyncScope();
        return await unscoped.ServiceProvider.GetRequiredService<PolicyDbContext>().Database
            .SqlQuery<DateTimeOffset?>($"SELECT policy.webhook_next_due() AS \"Value\"").SingleAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 7311, Level = LogLevel.Error, Message = "WebhookDeliverer: the pass failed; the next one tries again")]
    private static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7312, Level = LogLevel.Error, Message = "WebhookDeliverer: trust {TrustId} failed ({Failure}); the next pass tries again")]
    private static partial void TrustFailed(ILogger logger, Guid trustId, string failure);

    [LoggerMessage(EventId = 7313, Level = LogLevel.Warning, Message = "WebhookDeliverer: delivery {DeliveryId} attempt {Attempt} failed ({Outcome})")]
    private static partial void AttemptFailed(ILogger logger, Guid deliveryId, int attempt, string outcome);
}

/// <summary>
/// The signing key, parsed once when the deliverer starts: outside Development a service without one does not start
/// (no secret could be derived). In Development a missing key is made for the process, with a warning: secrets shown
/// before a restart stop verifying after it (deploy/run.sh always passes one from .tp/secrets.env).
/// </summary>
public sealed partial class WebhookKey
{
    public WebhookKey(IOptions<WebhookOptions> options, IHostEnvironment environment, ILogger<WebhookKey> logger)
    {
        if (string.IsNullOrWhiteSpace(options.Value.SigningKey) && environment.IsDevelopment())
        {
            Bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(WebhookSigner.MinimumKeyBytes);
            EphemeralKey(logger);
        }
        else
        {
            Bytes = WebhookSigner.ParseKey(options.Value.SigningKey);
        }
    }

    public byte[] Bytes { get; }

    [LoggerMessage(EventId = 7310, Level = LogLevel.Warning, Message = "Webhooks:SigningKey is not set: webhook secrets are derived from a key made for this process (Development only); they stop verifying after a restart")]
    private static partial void EphemeralKey(ILogger logger);
}
