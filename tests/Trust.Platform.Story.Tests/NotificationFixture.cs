using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Accounts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The four services on the real PostgreSQL, RabbitMQ and SMTP server, with one trust whose published policy reaches every
/// service and one school per group of "who is told what" rows, each with its own people (members appointed to posts, each
/// with a mail address of this run), so one row's messages never count in another's. The sweeps that send notices run only
/// when a test asks (their intervals are a day), and Incidents warns of any response deadline within 30 days, so the rows
/// hold on any date the suite runs.
/// </summary>
public sealed class NotificationFixture : IAsyncLifetime
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<PolicyService> Policy { get; private set; } = null!;

    public ServiceFactory<AccountsService> Accounts { get; private set; } = null!;

    public ServiceFactory<IncidentsService> Incidents { get; private set; } = null!;

    public ServiceFactory<TrainingService> Training { get; private set; } = null!;

    public Guid Trust { get; private set; }

    public DevUser Ceo { get; private set; } = null!;

    /// <summary>Schools by the rows they serve: cases, sla, training, digest.</summary>
    public IReadOnlyDictionary<string, SchoolPeople> Schools { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync("notices");
        var daily = new Dictionary<string, string?> { ["Incidents:Overdue:ScanInterval"] = "1.00:00:00", ["Incidents:Overdue:WarnBefore"] = "30.00:00:00" };
        Policy = new ServiceFactory<PolicyService>(Servers);
        Accounts = new ServiceFactory<AccountsService>(Servers);
        Incidents = new ServiceFactory<IncidentsService>(Servers, daily);
        Training = new ServiceFactory<TrainingService>(Servers, new Dictionary<string, string?> { ["Training:Notices:SweepInterval"] = "1.00:00:00" });
        _ = Policy.Server;
        _ = Accounts.Server;
        _ = Incidents.Server;
        _ = Training.Server;

        using var op = Policy.ClientFor(new DevUser("notices-operator", "Operator", null, [Roles.PlatformOperator]));
        var created = await op.PostAsJsonAsync("/v1/trusts", new { name = "Notices Trust", firstAdmin = new { displayName = "CEO", email = MailPickup.Address("ceo") } });
        await Http.EnsureSuccessAsync(created);
        Trust = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Ceo = new DevUser("notices-ceo", "CEO", Trust, [Roles.TrustAdmin]);
        using var ceo = Policy.ClientFor(Ceo);

        var schools = new Dictionary<string, SchoolPeople>();
        foreach (var (row, urn) in new[] { ("cases", "140101"), ("sla", "140102"), ("training", "140103"), ("digest", "140104") })
        {
            var school = await IdOfAsync(await ceo.PostAsJsonAsync("/v1/schools", new { name = $"Notices {row} school", urn, phase = "primary" }));
            schools[row] = await SchoolPeople.AppointAsync(ceo, school, row);
        }

        Schools = schools;
        foreach (var (key, value) in DemoPolicy.Baseline(TestClock.Today))
        {
            await Http.EnsureSuccessAsync(await ceo.PutWithETagAsync("/v1/policy/baseline", $"/v1/policy/baseline/{key}", value));
        }

        var version = await IdOfAsync(await ceo.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "Notices 1.0" }));
        await Http.EnsureSuccessAsync(await ceo.PostAsJsonAsync($"/v1/policy/versions/{version}/approve",
            new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) }));
        await Http.EnsureSuccessAsync(await ceo.PostAsync($"/v1/policy/versions/{version}/publish", null));

        // Every service has the policy of every school and the posts of every person before a test starts.
        var posts = schools.Values.Sum(s => s.Posts);
        foreach (var schema in new[] { "incidents", "accounts", "training" })
        {
            await Eventually.Until(() => CountAsync($"SELECT count(*) FROM {schema}.people_appointments WHERE trust_id = $1 AND ended_at IS NULL"),
                n => n >= posts, because: $"every appointment reaches {schema}");
            await Eventually.Until(() => CountAsync($"SELECT count(*) FROM {schema}.published_policies WHERE trust_id = $1"),
                n => n == schools.Count, because: $"the published policy reaches {schema}");
        }
    }

    public async Task DisposeAsync()
    {
        await Training.DisposeAsync();
        await Incidents.DisposeAsync();
        await Accounts.DisposeAsync();
        await Policy.DisposeAsync();
        await Servers.DisposeAsync();
    }

    /// <summary>A count read as the owner (the app role sees only its tenant), for the trust of this fixture.</summary>
    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Trust });
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<Guid> IdOfAsync(HttpResponseMessage response)
    {
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}

/// <summary>One person of a school: their member id, roster id, sign-in subject and the address their mail goes to.</summary>
public sealed record Person(Guid MemberId, Guid StaffId, string Subject, string Email);

/// <summary>A school and the people appointed to its posts (the deputy DSL acts as the DSL).</summary>
public sealed record SchoolPeople(Guid School, Person Head, Person Dsl, Person Deputy, Person Marketing, Person Chair, Person Teacher)
{
    public int Posts => 6;

    public static async Task<SchoolPeople> AppointAsync(HttpClient admin, Guid school, string row)
    {
        async Task<Person> One(string post)
        {
            var staffId = Guid.NewGuid();
            var subject = $"oid-{row}-{post}-{Guid.NewGuid():N}";
            var email = MailPickup.Address(post.Replace('_', '-'));
            var member = await NotificationFixture.IdOfAsync(await admin.PostAsJsonAsync("/v1/members",
                new { displayName = $"{post} of {row}", email, subject, staffId }));
            await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/schools/{school}/appointments", new { memberId = member, role = post, startsOn = TestClock.Day(TestClock.Today) }));
            return new Person(member, staffId, subject, email);
        }

        return new SchoolPeople(school, await One("headteacher"), await One("dsl"), await One("deputy_dsl"), await One("marketing_officer"),
            await One("chair"), await One("staff"));
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationCollection : ICollectionFixture<NotificationFixture>
{
    public const string Name = "notifications";
}
