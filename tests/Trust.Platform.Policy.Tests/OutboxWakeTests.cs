using System.Text.Json;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// The outbox dispatcher sleeps until a commit wakes it (docs/adr/0160): an event committed by another process, which
/// the service's own commit signal never sees, is still delivered at once through the outbox's NOTIFY, not at the next
/// safety poll. The poll here is ten minutes, so only the notification can deliver within the test's wait.
/// </summary>
public sealed class OutboxWakeTests : IAsyncLifetime
{
    private TestServers _servers = null!;
    private ServiceFactory<PolicyService> _policy = null!;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.CreateAsync("outboxwake");
        _policy = new ServiceFactory<PolicyService>(_servers, new Dictionary<string, string?> { ["Outbox:PollInterval"] = "00:10:00" });
        _ = _policy.Server;
    }

    public async Task DisposeAsync()
    {
        await _policy.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task An_event_committed_by_another_process_is_delivered_without_waiting_for_the_poll()
    {
        await using var probe = await EventProbe<PolicyReviewDue>.StartAsync(_servers);
        // The dispatcher's listener is connected (its session's last statement is the LISTEN, as the dispatcher role
        // sees its own sessions), so the start-up claims are behind it and the row below can only be found by a wake-up.
        await Eventually.Until(ListeningSessionsAsync, n => n > 0, TimeSpan.FromSeconds(30), "the dispatcher should LISTEN on policy_outbox");
        var reminder = new PolicyReviewDue(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), TestClock.Now, TestClock.Today.AddMonths(2), "2_months");

        // As another process would (a second replica, the seed command): the app role's INSERT on its own connection.
        await using (var connection = new NpgsqlConnection(_servers.Database.AppConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO policy.outbox_messages (id, message_type, body, aggregate_id, created_at) VALUES ($1, $2, $3::json, $4, $5)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = reminder.EventId });
            insert.Parameters.Add(new NpgsqlParameter { Value = EventTypes.NameOf(typeof(PolicyReviewDue)) });
            insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(reminder, new JsonSerializerOptions(JsonSerializerDefaults.Web)) });
            insert.Parameters.Add(new NpgsqlParameter { Value = $"review:{reminder.SchoolId}" });
            insert.Parameters.Add(new NpgsqlParameter { Value = reminder.OccurredAt });
            await insert.ExecuteNonQueryAsync();
        }

        await Eventually.Until(() => Task.FromResult(probe.Received.Any(e => e.EventId == reminder.EventId)), seen => seen, TimeSpan.FromSeconds(10),
            "the outbox's NOTIFY should wake the dispatcher long before its ten-minute poll");
    }

    private async Task<long> ListeningSessionsAsync()
    {
        await using var connection = new NpgsqlConnection(_servers.Database.DispatcherConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = $1", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = $"LISTEN {OutboxDispatcher.Channel("policy")}" });
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
