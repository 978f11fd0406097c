using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

/// <summary>Test helpers: a fresh school per test (so counts never mix), and outbox counts read as the owner (the app role cannot read the outbox).</summary>
public static class TrainingKit
{
    public static async Task<Guid> NewSchoolAsync(this ReplicaServiceHost<TrainingService> host)
    {
        var school = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "School " + school.ToString("N")[..6], 1);
        await Eventually.Until(() => host.ScalarAsync("SELECT count(*) FROM training.school_directory WHERE school_id = $1", school), n => n == 1, because: "the school reaches the directory");
        return school;
    }

    public static async Task<long> ScalarAsync(this ReplicaServiceHost<TrainingService> host, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Events of <typeparamref name="T"/> written to the outbox for <paramref name="school"/>.</summary>
    public static Task<long> EventsAsync<T>(this ReplicaServiceHost<TrainingService> host, Guid school)
        where T : IIntegrationEvent =>
        host.ScalarAsync("SELECT count(*) FROM training.outbox_events WHERE message_type = $1 AND body->>'schoolId' = $2",
            typeof(T).FullName!, school.ToString());

    public static Task<long> AllEventsAsync(this ReplicaServiceHost<TrainingService> host, Guid school) =>
        host.ScalarAsync("SELECT count(*) FROM training.outbox_events WHERE body->>'schoolId' = $1", school.ToString());

    public static DevUser Admin(this ReplicaServiceHost<TrainingService> host) => new("admin", "Admin", host.Trust, [Roles.TrustAdmin]);

    public static HttpClient AdminClient(this ReplicaServiceHost<TrainingService> host) => host.Service.ClientFor(host.Admin());

    public static object Row(string misId, string name = "Person", string type = "staff", string[]? roles = null, string start = "2024-09-01", string? leave = null) =>
        new { misId, displayName = name, personType = type, roles = roles ?? ["teacher"], startDate = start, leaveDate = leave };

    public static async Task<JsonElement> SyncAsync(this HttpClient client, Guid school, IEnumerable<object> people, IEnumerable<string>? deletions = null)
    {
        var response = await client.PostAsJsonAsync($"/v1/schools/{school}/roster/sync", new { people, deletions = deletions ?? [] });
        await Http.EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        await Http.EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<Guid> PersonIdAsync(this ReplicaServiceHost<TrainingService> host, Guid school, string misId)
    {
        await using var connection = new NpgsqlConnection(host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM training.people WHERE school_id = $1 AND mis_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = school });
        command.Parameters.Add(new NpgsqlParameter { Value = misId });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}

public static class PolicyKit
{
    /// <summary>The test calendar: this school year's and next year's terms (England), by the run's clock.</summary>
    public static IReadOnlyList<Term> Terms => EnglishSchoolYear.ThisYearAndNext(TestClock.Today);

    public static PolicyPublished Published(Guid trust, Guid school, string version, bool major, int windowDays = 30, string cadence = "termly",
        IReadOnlyList<Term>? terms = null, DateTimeOffset? at = null, string pupilCadence = "termly", string parentCadence = "termly") =>
        new(Guid.CreateVersion7(), trust, school, at ?? TestClock.Now, Guid.CreateVersion7(), version, major, null,
            new CalendarSettings("Europe/London", PolicyDefaults.WorkingDays, new TimeOnly(17, 0), terms ?? Terms, []),
            PolicyDefaults.Sla, PolicyDefaults.Routing, PolicyDefaults.Accounts, new TrainingSettings(windowDays, cadence, pupilCadence, parentCadence, true));

    /// <summary>Publishes and waits until the school's training policy shows this version.</summary>
    public static async Task PublishPolicyAsync(this ReplicaServiceHost<TrainingService> host, PolicyPublished published)
    {
        await host.PublishAsync(published);
        using var client = host.AdminClient();
        await Eventually.Until(async () => (await client.GetJsonAsync($"/v1/schools/{published.SchoolId}/training-policy")).GetProperty("version").ToString(),
            v => v == published.Version, because: "the policy view takes the publication");
    }

    public static async Task<Guid> CourseAsync(this ReplicaServiceHost<TrainingService> host, string code, int? validityMonths = null)
    {
        using var client = host.AdminClient();
        for (var attempt = 0; ; attempt++)
        {
            var list = await client.GetJsonAsync("/v1/courses?limit=200");
            var found = list.GetProperty("items").EnumerateArray().FirstOrDefault(c => c.GetProperty("code").GetString() == code);
            if (found.ValueKind == JsonValueKind.Object)
            {
                return found.GetProperty("id").GetGuid();
            }

            var created = await client.PostAsJsonAsync("/v1/courses", new { code, title = code, validityMonths });
            if (created.IsSuccessStatusCode || attempt > 2)
            {
                await Http.EnsureSuccessAsync(created);
                return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            }
        }
    }

    public static async Task<HttpResponseMessage> CompleteAsync(this HttpClient client, Guid school, Guid person, Guid course, DateOnly on) =>
        await client.PostAsJsonAsync($"/v1/schools/{school}/people/{person}/completions",
            new { courseId = course, completedOn = on, provider = "National College", evidenceReference = "CERT-1", score = 92.5 });

    public static async Task<Dictionary<string, JsonElement>> RequirementsAsync(this HttpClient client, Guid school, Guid person, DateOnly? asOf = null)
    {
        var body = await client.GetJsonAsync($"/v1/schools/{school}/people/{person}/requirements" + (asOf is { } d ? $"?asOf={d:yyyy-MM-dd}" : ""));
        return body.GetProperty("requirements").EnumerateArray().ToDictionary(r => r.GetProperty("requirement").GetString()!, r => r);
    }

    public static HttpClient SelfClient(this ReplicaServiceHost<TrainingService> host, Guid school, Guid person) =>
        host.Service.ClientFor(new DevUser("self-" + person, "Self", host.Trust, [$"{Roles.Staff}:{school}"], person));
}
