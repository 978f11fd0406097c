using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Accounts.Tests;

/// <summary>
/// Test-side helpers: a fresh school per test (so one test's policy cannot leak into another), the
/// events Policy and Training would send, and the people who act.
/// </summary>
public sealed class AccountsWorld(ReplicaServiceHost<AccountsService> host)
{
    public ReplicaServiceHost<AccountsService> Host { get; } = host;

    public Guid Trust => Host.Trust;

    public DevUser Admin => new("admin", "Admin", Trust, [Roles.TrustAdmin]);

    public DevUser Head(Guid school) => new($"head-{school:N}", "Head", Trust, [$"{Roles.Headteacher}:{school}"]);

    public DevUser MarketingOfficer(Guid school) => new($"mo-{school:N}", "Marketing", Trust, [$"{Roles.MarketingOfficer}:{school}"]);

    public DevUser Staff(Guid school, Guid staffId) => new($"staff-{staffId:N}", "Staff", Trust, [$"{Roles.Staff}:{school}"], staffId);

    public HttpClient Client(DevUser user) => Host.Service.ClientFor(user);

    /// <summary>A school of the host's trust, once the service's directory knows it.</summary>
    public async Task<Guid> NewSchoolAsync()
    {
        var school = Guid.CreateVersion7();
        await Host.AddSchoolAsync(Trust, school, "School " + school.ToString("N")[..6], 1);
        using var client = Client(Admin);
        await Eventually.Until(async () => (await client.GetAsync($"/v1/schools/{school}/account-policy")).StatusCode, s => s == HttpStatusCode.OK,
            because: "the directory replica learns the school");
        return school;
    }

    public static PolicyPublished Policy(Guid trust, Guid school, int minimumAdministrators, string version = "1.0", IReadOnlyList<string>? chain = null, DateTimeOffset? at = null) => new(
        Guid.CreateVersion7(), trust, school, at ?? TestClock.Now, Guid.CreateVersion7(), version, true, null,
        PolicyDefaults.Calendar(), PolicyDefaults.Sla, PolicyDefaults.Routing,
        PolicyDefaults.Accounts with { MinimumAdministrators = minimumAdministrators, ApprovalChain = chain ?? PolicyDefaults.Accounts.ApprovalChain },
        PolicyDefaults.Training);

    /// <summary>Publishes a policy for the school and waits until the service applies it.</summary>
    public async Task<PolicyPublished> PublishPolicyAsync(Guid school, int minimumAdministrators, string version = "1.0")
    {
        var policy = Policy(Trust, school, minimumAdministrators, version);
        await Host.PublishAsync(policy);
        await WaitForPolicyAsync(school, policy.PolicyVersionId);
        return policy;
    }

    public async Task WaitForPolicyAsync(Guid school, Guid versionId)
    {
        using var client = Client(Admin);
        await Eventually.Until(async () => (await client.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/account-policy"))!["policyVersionId"]?.GetValue<Guid>(),
            v => v == versionId, because: "PolicyPublished is applied");
    }

    public async Task<Guid> JoinAsync(Guid school, string name)
    {
        var staff = Guid.CreateVersion7();
        await Host.PublishAsync(new StaffJoined(Guid.CreateVersion7(), Trust, school, TestClock.Now, staff, null, name, ["teacher"], new DateOnly(2024, 9, 1)));
        return staff;
    }

    public Task TrainAsync(Guid school, Guid staff) =>
        Host.PublishAsync(new TrainingCompleted(Guid.CreateVersion7(), Trust, school, TestClock.Now, staff, Guid.CreateVersion7(), "social_media_policy",
            TestClock.UtcToday, TestClock.UtcToday.AddYears(1)));

    public Task AcknowledgeAsync(Guid school, Guid staff, PolicyPublished policy) =>
        Host.PublishAsync(new PolicyAcknowledged(Guid.CreateVersion7(), Trust, school, TestClock.Now, staff, policy.PolicyVersionId, policy.Version));

    public static object Application(Guid school, IEnumerable<Guid> administrators, string handle = "BasfordArtDept", Guid? moderator = null) => new
    {
        schoolId = school,
        platform = "instagram",
        handle,
        administrators = administrators.ToArray(),
        purpose = "Celebrate pupils' art work and tell families about exhibitions.",
        proposedContent = "Photos of finished work (no faces), exhibition dates.",
        audiences = new object[] { new { kind = "families" }, new { kind = "pupils", ageRange = "11-16" } },
        contributors = new[] { "Art department staff" },
        moderator = moderator ?? administrators.First(),
        visibility = "closed",
        visibilityReason = "Followers are approved so that only families of the school see pupils' work (004).",
        evaluation = "Follower numbers and attendance at exhibitions each term.",
        url = "https://instagram.com/" + handle,
        officialEmail = "art@school.example",
    };

    /// <summary>Creates the application, retrying while the roster events are still on their way (a 422 changes nothing).</summary>
    public async Task<JsonObject> ApplyAsync(HttpClient client, object application)
    {
        var response = await Eventually.Until(() => client.PostAsJsonAsync("/v1/applications", application), r => r.StatusCode != HttpStatusCode.UnprocessableEntity,
            because: "the roster reaches Accounts");
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid application, string step, string outcome, string? reason = null) =>
        client.PostAsJsonAsync($"/v1/applications/{application}/decisions", new { step, outcome, reason });

    public static async Task<JsonObject> AccountAsync(HttpClient client, Guid account) =>
        (await client.GetFromJsonAsync<JsonObject>($"/v1/accounts/{account}"))!;

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static IReadOnlyList<string> Keys(JsonObject problem) => problem["errors"]!.AsObject().Select(e => e.Key).ToList();

    /// <summary>Outbox rows of an event type about an aggregate, and whether each was delivered (the owner role may read the outbox).</summary>
    public async Task<List<(JsonObject Body, bool Sent)>> OutboxAsync(string eventType, Guid aggregate)
    {
        await using var connection = new NpgsqlConnection(Host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT body::text, sent_at IS NOT NULL FROM accounts.outbox_messages WHERE message_type = $1 AND aggregate_id = $2 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = "Trust.Platform.Contracts." + eventType });
        command.Parameters.Add(new NpgsqlParameter { Value = aggregate.ToString() });
        var rows = new List<(JsonObject, bool)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((JsonNode.Parse(reader.GetString(0))!.AsObject(), reader.GetBoolean(1)));
        }

        return rows;
    }

    /// <summary>An account approved through the whole chain with two ready administrators; returns (application, account, administrators, policy).</summary>
    public async Task<(Guid Application, Guid Account, Guid[] Administrators, PolicyPublished Policy)> ApprovedAccountAsync(Guid school, string handle)
    {
        var policy = await PublishPolicyAsync(school, 2);
        var first = await JoinAsync(school, "Alex Brown");
        var second = await JoinAsync(school, "Sam Patel");
        foreach (var staff in new[] { first, second })
        {
            await TrainAsync(school, staff);
            await AcknowledgeAsync(school, staff, policy);
        }

        using var applicant = Client(Staff(school, first));
        var application = (await ApplyAsync(applicant, Application(school, [first, second], handle)))["id"]!.GetValue<Guid>();
        using var mo = Client(MarketingOfficer(school));
        await Http.EnsureSuccessAsync(await DecideAsync(mo, application, "marketing_officer", "approve"));
        using var head = Client(Head(school));
        var approved = await Eventually.Until(() => DecideAsync(head, application, "headteacher", "approve"), r => r.StatusCode != HttpStatusCode.UnprocessableEntity,
            because: "training and acknowledgements reach Accounts");
        await Http.EnsureSuccessAsync(approved);
        var account = (await approved.Content.ReadFromJsonAsync<JsonObject>())!["accountId"]!.GetValue<Guid>();
        return (application, account, [first, second], policy);
    }

    /// <summary>Waits until every event is claimed in the service's inbox (claimed = applied: one transaction).</summary>
    public async Task WaitForInboxAsync(IReadOnlyCollection<IIntegrationEvent> events)
    {
        var ids = events.Select(e => e.EventId).ToArray();
        await Eventually.Until(async () =>
        {
            await using var connection = new NpgsqlConnection(Host.Servers.Database.OwnerConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(DISTINCT message_id) FROM accounts.inbox_messages WHERE message_id = ANY($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            return (long)(await command.ExecuteScalarAsync())!;
        }, n => n == ids.Length, because: "every event is consumed");
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
