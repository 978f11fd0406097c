using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Benchmarks;

/// <summary>
/// Outbox figures on the real servers, against a baseline in the same run: the same events published
/// straight onto the bus (no outbox) to the same consumer.
///   drain rate   - 1,000 events committed in one transaction, until every effect is applied
///   latency      - 1,000 events committed one transaction each, commit to consumer effect (median, p99)
/// </summary>
public static class OutboxBenchmark
{
    public static async Task RunAsync(int count)
    {
        await using var servers = await TestServers.CreateAsync("bench");
        await using var policy = new ServiceFactory<PolicyService>(servers, new Dictionary<string, string?> { ["Outbox:PollInterval"] = OutboxPoll.Production });
        _ = policy.Server;
        await using var probe = await CountingProbe.StartAsync(servers);
        var trust = Guid.CreateVersion7();
        await SeedTrustAsync(policy, trust);

        // Warm-up: JIT, pools, exchange bindings.
        await WaitAsync(probe, await CommitAsync(policy, trust, 50, oneTransaction: true, "9"), TimeSpan.FromSeconds(60));

        // Baseline: the same consumer fed by direct publishes.
        var direct = Enumerable.Range(0, count).Select(i => Event(trust, Guid.CreateVersion7(), $"D{i}")).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(direct.Select(e => probe.Bus.Publish(e)));
        await WaitAsync(probe, direct.Select(e => e.SchoolId).ToList(), TimeSpan.FromSeconds(120));
        var directRate = count / clock.Elapsed.TotalSeconds;

        // Outbox drain: one commit of `count` events, then the dispatcher delivers them.
        clock.Restart();
        var bulk = await CommitAsync(policy, trust, count, oneTransaction: true, "1");
        var committedAt = clock.Elapsed;
        await WaitAsync(probe, bulk, TimeSpan.FromSeconds(120));
        var drainSeconds = (clock.Elapsed - committedAt).TotalSeconds;
        var drainRate = count / drainSeconds;

        // Latency: one event per transaction, as a request handler writes them.
        var single = await CommitAsync(policy, trust, count, oneTransaction: false, "2");
        await WaitAsync(probe, single, TimeSpan.FromSeconds(120));
        var latencies = (await probe.LatenciesAsync(single)).Order().ToList();

        System.Console.WriteLine($"outbox benchmark ({count} events, {Environment.ProcessorCount} cores, PostgreSQL and RabbitMQ on loopback)");
        System.Console.WriteLine($"  baseline: direct publish to consumer effect   {directRate,8:F0} events/s");
        System.Console.WriteLine($"  outbox drain (one commit) to consumer effect  {drainRate,8:F0} events/s   ratio {drainRate / directRate:F2} of baseline");
        System.Console.WriteLine($"  commit to consumer effect, one event per tx   median {Percentile(latencies, 0.50),6:F1} ms   p99 {Percentile(latencies, 0.99),6:F1} ms   max {latencies[^1],6:F1} ms");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static SchoolAdded Event(Guid trust, Guid school, string name) =>
        new(Guid.CreateVersion7(), trust, school, DateTimeOffset.UtcNow, name, "123456", "primary", null, "Europe/London", 1);

    private static async Task SeedTrustAsync(ServiceFactory<PolicyService> policy, Guid trust)
    {
        await using var scope = policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        db.Trusts.Add(new TrustOrganisation { TrustId = trust, Name = "Benchmark Trust", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task<List<Guid>> CommitAsync(ServiceFactory<PolicyService> policy, Guid trust, int count, bool oneTransaction, string urnPrefix)
    {
        var ids = new List<Guid>(count);
        await using var scope = policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        await using var transaction = oneTransaction ? await db.Database.BeginTransactionAsync() : null;
        for (var i = 0; i < count; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var school = new School
            {
                TrustId = trust, Id = Guid.CreateVersion7(), Name = "Bench", Urn = urnPrefix + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture),
                Phase = SchoolPhase.Primary, TimeZone = "Europe/London", Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            db.Schools.Add(school);
            db.AddEvent(Event(trust, school.Id, school.Name) with { OccurredAt = now }, school.Id.ToString(), now);
            ids.Add(school.Id);
            if (!oneTransaction || i % 200 == 199)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync();
        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }

        return ids;
    }

    private static Task WaitAsync(CountingProbe probe, List<Guid> ids, TimeSpan timeout) =>
        Eventually.Until(() => probe.CountAsync(ids), n => n == ids.Count, timeout, "every event applied");
}
