using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// From commit to the person and the integration being told, on the real servers: `events` review reminders
/// (PolicyReviewDue) are committed one transaction each in Policy's outbox, paced at `perSecond`; each reaches a
/// webhook subscriber on loopback (outbox, RabbitMQ, inbox, delivery row, signed POST) and the trust's CEO by mail
/// (outbox, RabbitMQ, inbox, mail row, MailKit, OpenSMTPD). Prints median and p99 of commit to webhook received and
/// commit to message accepted by the SMTP server (the row's sent_at, stamped when the server answered 250) and, for
/// information, to the message in the Maildir (after OpenSMTPD's own queue), against a
/// baseline in the same run: commit to a bare consumer of the same events (outbox and RabbitMQ only).
/// </summary>
public static class NotifyBenchmark
{
    public static async Task RunAsync(int events, int perSecond)
    {
        await using var servers = await TestServers.CreateAsync("bench");
        await using var policy = new ServiceFactory<PolicyService>(servers, new Dictionary<string, string?> { ["Outbox:PollInterval"] = OutboxPoll.Production });
        _ = policy.Server;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var probe = await EventProbe<PolicyReviewDue>.StartAsync(servers);
        var received = new ConcurrentDictionary<string, DateTimeOffset>();
        receiver.Verify = (_, _) => true;
        receiver.OnRequest = (eventId, _) => received.TryAdd(eventId, TimeProvider.System.GetUtcNow());

        using var operatorClient = policy.ClientFor(new DevUser("bench-operator", "Operator", null, [Roles.PlatformOperator]));
        var ceo = MailPickup.Address("ceo", "bench.example");
        var created = (await (await operatorClient.PostAsJsonAsync("/v1/trusts", new { name = "Benchmark Trust", firstAdmin = new { displayName = "CEO", email = ceo } }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        var trust = created["id"]!.GetValue<Guid>();
        using var admin = policy.ClientFor(new DevUser("bench-admin", "Admin", trust, [Roles.TrustAdmin]));
        var school = (await (await admin.PostAsJsonAsync("/v1/schools", new { name = "Mellers Primary School", urn = "140003", phase = "primary" }))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Url, eventTypes = new[] { "policy.review_due" } })).EnsureSuccessStatusCode();

        // Warm-up: JIT, pools, bindings, the SMTP connection.
        await RunRoundAsync(policy, trust, school, 20, 20, received, ceo, probe);
        var (webhook, mail, mailbox, bare, queued, retried) = await RunRoundAsync(policy, trust, school, events, perSecond, received, ceo, probe);

        System.Console.WriteLine($"notify benchmark ({events} events committed one per transaction at {perSecond}/s, {Environment.ProcessorCount} cores, PostgreSQL, RabbitMQ, OpenSMTPD on loopback)");
        System.Console.WriteLine($"  baseline: commit to a bare consumer            median {Percentile(bare, 0.50),7:F1} ms   p99 {Percentile(bare, 0.99),7:F1} ms   max {bare[^1],7:F1} ms");
        System.Console.WriteLine($"  commit to webhook received (signed POST, 2xx)   median {Percentile(webhook, 0.50),7:F1} ms   p99 {Percentile(webhook, 0.99),7:F1} ms   max {webhook[^1],7:F1} ms   p99 ratio {Percentile(webhook, 0.99) / Percentile(bare, 0.99):F1} x baseline");
        System.Console.WriteLine($"  commit to mail accepted by the SMTP server     median {Percentile(mail, 0.50),7:F1} ms   p99 {Percentile(mail, 0.99),7:F1} ms   max {mail[^1],7:F1} ms   p99 ratio {Percentile(mail, 0.99) / Percentile(bare, 0.99):F1} x baseline");
        System.Console.WriteLine($"  commit to the message in the Maildir (OpenSMTPD's own queue and delivery after accepting)   median {Percentile(mailbox, 0.50),7:F1} ms   p99 {Percentile(mailbox, 0.99),7:F1} ms   max {mailbox[^1],7:F1} ms");
        // Where the mail's time goes: the event's way to Policy's queue (outbox, RabbitMQ, the inbox consumer's commit) and the rest.
        System.Console.WriteLine($"  of which commit to queued (outgoing_mail.created_at)   median {Percentile(queued, 0.50),7:F1} ms   p99 {Percentile(queued, 0.99),7:F1} ms   max {queued[^1],7:F1} ms; messages sent on a second attempt: {retried}");
        System.Console.WriteLine($"  target p99 <= 5000 ms: webhook {(Percentile(webhook, 0.99) <= 5000 ? "met" : "NOT met")}, mail {(Percentile(mail, 0.99) <= 5000 ? "met" : "NOT met")}");
    }

    private static async Task<(List<double> Webhook, List<double> Mail, List<double> Mailbox, List<double> Bare, List<double> Queued, int Retried)> RunRoundAsync(
        ServiceFactory<PolicyService> policy, Guid trust, Guid school, int count, int perSecond, ConcurrentDictionary<string, DateTimeOffset> received, string ceo,
        EventProbe<PolicyReviewDue> probe)
    {
        var committed = new Dictionary<Guid, DateTimeOffset>();
        var pace = Stopwatch.StartNew();
        await using (var scope = policy.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            for (var i = 0; i < count; i++)
            {
                var wait = TimeSpan.FromSeconds((double)i / perSecond) - pace.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var now = TimeProvider.System.GetUtcNow();
                var e = new PolicyReviewDue(Guid.CreateVersion7(), trust, school, now, DateOnly.FromDateTime(now.UtcDateTime).AddMonths(1), "1_month");
                db.AddEvent(e, "policy:" + school, now);
                await db.SaveChangesAsync();
                committed[e.EventId] = TimeProvider.System.GetUtcNow();
                db.ChangeTracker.Clear();
            }
        }

        await Eventually.Until(() => Task.FromResult(committed.Keys.Count(id => received.ContainsKey(id.ToString()))), n => n == count, TimeSpan.FromMinutes(5), "every webhook received");
        var accepted = await Eventually.Until(() => AcceptedByEventAsync(policy, trust, committed.Keys), m => m.Count == count, TimeSpan.FromMinutes(5), "every mail accepted");
        var byMessageId = await Eventually.Until(() => MailByEventAsync(policy, trust, committed.Keys, ceo), m => m.Count == count, TimeSpan.FromMinutes(5), "every mail in the mailbox");
        var arrived = await Eventually.Until(
            () => Task.FromResult(probe.Arrivals.Where(a => committed.ContainsKey(a.Event.EventId)).GroupBy(a => a.Event.EventId).ToDictionary(g => g.Key, g => g.Min(a => a.At))),
            a => a.Count == count, TimeSpan.FromMinutes(1), "every event at the bare consumer");
        var webhook = committed.Select(c => (received[c.Key.ToString()] - c.Value).TotalMilliseconds).Order().ToList();
        var mail = committed.Select(c => (accepted[c.Key].SentAt - c.Value).TotalMilliseconds).Order().ToList();
        var queued = committed.Select(c => (accepted[c.Key].QueuedAt - c.Value).TotalMilliseconds).Order().ToList();
        var retried = committed.Count(c => accepted[c.Key].Attempts > 1);
        var mailbox = committed.Select(c => (byMessageId[c.Key] - c.Value).TotalMilliseconds).Order().ToList();
        var bare = committed.Select(c => (arrived[c.Key] - c.Value).TotalMilliseconds).Order().ToList();
        return (webhook, mail, mailbox, bare, queued, retried);
    }

    /// <summary>Event id to when its message was queued and when the SMTP server accepted it (sent_at, stamped as the relay answered 250), and the attempts.</summary>
    private static async Task<Dictionary<Guid, (DateTimeOffset QueuedAt, DateTimeOffset SentAt, int Attempts)>> AcceptedByEventAsync(
        ServiceFactory<PolicyService> policy, Guid trust, IEnumerable<Guid> events)
    {
        await using var scope = policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
        var rows = await scope.ServiceProvider.GetRequiredService<PolicyDbContext>().OutgoingMail.AsNoTracking()
            .Where(m => m.SentAt != null).Select(m => new { m.DedupeKey, m.CreatedAt, m.SentAt, m.Attempts }).ToListAsync();
        var wanted = events.ToHashSet();
        return rows.Select(r => (Event: Guid.Parse(r.DedupeKey.Split(':')[0]), r.CreatedAt, r.SentAt, r.Attempts)).Where(r => wanted.Contains(r.Event))
            .ToDictionary(r => r.Event, r => (r.CreatedAt, r.SentAt!.Value, r.Attempts));
    }

    /// <summary>Event id to the time the SMTP server wrote its message (matched by Message-ID, which is the queued row's id).</summary>
    private static async Task<Dictionary<Guid, DateTimeOffset>> MailByEventAsync(ServiceFactory<PolicyService> policy, Guid trust, IEnumerable<Guid> events, string address)
    {
        await using var scope = policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
        var rows = await scope.ServiceProvider.GetRequiredService<PolicyDbContext>().OutgoingMail.AsNoTracking()
            .Where(m => m.SentAt != null).Select(m => new { m.Id, m.DedupeKey }).ToListAsync();
        var wanted = events.ToHashSet();
        var eventOfMessage = rows.Select(r => (r.Id, Event: Guid.Parse(r.DedupeKey.Split(':')[0]))).Where(r => wanted.Contains(r.Event))
            .ToDictionary(r => r.Id.ToString("N"), r => r.Event);
        var folder = Path.Combine(TestEnvironment.MailDirectory, address, "new");
        var result = new Dictionary<Guid, DateTimeOffset>();
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
        {
            var id = HeaderList.Load(file)["Message-Id"]?.Trim('<', '>', ' ').Split('@')[0];
            if (id is not null && eventOfMessage.TryGetValue(id, out var e))
            {
                result[e] = File.GetLastWriteTimeUtc(file);
            }
        }

        return result;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
