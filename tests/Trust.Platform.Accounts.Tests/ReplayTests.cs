using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;
using static Trust.Platform.Accounts.Tests.AccountsWorld;

namespace Trust.Platform.Accounts.Tests;

/// <summary>At-least-once on the wire, exactly-once in effect: every event Accounts consumes, delivered again, changes nothing.</summary>
public sealed class ReplayTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private readonly AccountsWorld _world = new(host);

    private static readonly string[] Tables =
        ["published_policies", "staff_members", "training_records", "policy_acknowledgements", "applications", "application_decisions", "accounts"];

    [Fact]
    public async Task Replaying_every_consumed_event_has_no_second_effect()
    {
        var trust = _world.Trust;
        var school = await _world.NewSchoolAsync();
        var now = TestClock.Now;
        var today = TestClock.UtcToday;
        var policy = Policy(trust, school, 2);
        await _world.Host.PublishAsync(policy);
        await _world.WaitForPolicyAsync(school, policy.PolicyVersionId);
        var (alex, sam) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        List<IIntegrationEvent> events =
        [
            policy,
            new StaffJoined(Guid.CreateVersion7(), trust, school, now, alex, null, "Alex Brown", ["teacher"], today),
            new StaffJoined(Guid.CreateVersion7(), trust, school, now, sam, null, "Sam Patel", ["teacher"], today),
            new TrainingCompleted(Guid.CreateVersion7(), trust, school, now, alex, Guid.CreateVersion7(), "social_media_policy", today, today.AddYears(1)),
            new TrainingCompleted(Guid.CreateVersion7(), trust, school, now, sam, Guid.CreateVersion7(), "social_media_policy", today, today.AddYears(1)),
            new PolicyAcknowledged(Guid.CreateVersion7(), trust, school, now, alex, policy.PolicyVersionId, policy.Version),
            new PolicyAcknowledged(Guid.CreateVersion7(), trust, school, now, sam, policy.PolicyVersionId, policy.Version),
        ];
        await PublishAllAsync(events.Skip(1));

        using var applicant = _world.Client(_world.Staff(school, alex));
        var application = (await _world.ApplyAsync(applicant, Application(school, [alex, sam], "BasfordScience")))["id"]!.GetValue<Guid>();
        using var mo = _world.Client(_world.MarketingOfficer(school));
        await Http.EnsureSuccessAsync(await DecideAsync(mo, application, "marketing_officer", "approve"));
        using var head = _world.Client(_world.Head(school));
        var approved = await Eventually.Until(() => DecideAsync(head, application, "headteacher", "approve"), r => r.StatusCode != HttpStatusCode.UnprocessableEntity);
        await Http.EnsureSuccessAsync(approved);
        var account = (await approved.Content.ReadFromJsonAsync<JsonObject>())!["accountId"]!.GetValue<Guid>();

        List<IIntegrationEvent> later =
        [
            new StaffRoleChanged(Guid.CreateVersion7(), trust, school, TestClock.Now, alex, ["teacher", "head_of_science"], ["teacher"]),
            new StaffLeft(Guid.CreateVersion7(), trust, school, TestClock.Now, sam, today),
            new TrainingExpired(Guid.CreateVersion7(), trust, school, TestClock.Now, alex, Guid.CreateVersion7(), "social_media_policy", today),
        ];
        await PublishAllAsync(later);
        events.AddRange(later);
        await _world.WaitForInboxAsync(events);
        var before = await SnapshotAsync(school);
        (await _world.OutboxAsync(nameof(AccountHandoverRequired), account)).Should().HaveCount(1);

        await PublishAllAsync(events);
        // One fresh event of each type for another school, published after the replays on the same queues: once they are in, the replays were handled.
        var marker = Guid.CreateVersion7();
        var markers = events.Select(e => Fresh(e, marker)).ToList();
        await PublishAllAsync(markers);
        await _world.WaitForInboxAsync(markers);

        (await SnapshotAsync(school)).Should().Equal(before);
        (await _world.OutboxAsync(nameof(AccountHandoverRequired), account)).Should().HaveCount(1, "a replayed StaffLeft starts no second handover");
    }

    private async Task PublishAllAsync(IEnumerable<IIntegrationEvent> events)
    {
        foreach (var e in events)
        {
            await _world.Host.Servers.PublishAsync(e, e.GetType());
        }
    }

    private static IIntegrationEvent Fresh(IIntegrationEvent e, Guid school) => e switch
    {
        PolicyPublished p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        StaffJoined p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        StaffRoleChanged p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        StaffLeft p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        TrainingCompleted p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        TrainingExpired p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        PolicyAcknowledged p => p with { EventId = Guid.CreateVersion7(), SchoolId = school },
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    /// <summary>Every row Accounts keeps for the school, as JSON, plus its outbox rows.</summary>
    private async Task<List<string>> SnapshotAsync(Guid school)
    {
        await using var connection = new NpgsqlConnection(_world.Host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using (var tenant = new NpgsqlCommand("SELECT set_config('app.trust_id', $1, false)", connection))
        {
            tenant.Parameters.Add(new NpgsqlParameter { Value = _world.Trust.ToString() });
            await tenant.ExecuteNonQueryAsync();
        }

        var rows = new List<string>();
        foreach (var table in Tables)
        {
            var filter = table == "application_decisions"
                ? $"application_id IN (SELECT id FROM accounts.applications WHERE school_id = $1)"
                : "school_id = $1";
            await using var command = new NpgsqlCommand($"SELECT '{table}: ' || row_to_json(t)::text FROM accounts.{table} t WHERE {filter} ORDER BY 1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = school });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        await using (var outbox = new NpgsqlCommand("SELECT 'outbox: ' || count(*) FROM accounts.outbox_messages WHERE body->>'schoolId' = $1", connection))
        {
            outbox.Parameters.Add(new NpgsqlParameter { Value = school.ToString() });
            rows.Add((string)(await outbox.ExecuteScalarAsync())!);
        }

        return rows;
    }
}
