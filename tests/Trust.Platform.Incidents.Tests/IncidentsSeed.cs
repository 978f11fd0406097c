using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests;

/// <summary>
/// The evidence settings of every Incidents host in this test run, as a deployment gives them (run.sh passes the same
/// variables): a temporary data folder and a random key. Set before any host is built, because the service checks them
/// when it starts (ReplicaServiceHost takes no settings of its own).
/// </summary>
public static class EvidenceFolder
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), "tp-incidents-tests-" + Guid.NewGuid().ToString("N")[..8], "evidence");

    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Configure()
    {
        Environment.SetEnvironmentVariable("Evidence__Path", Root);
        Environment.SetEnvironmentVariable("Evidence__Key", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    }
}

/// <summary>Shared callers, bodies and seeded records for the Incidents tests.</summary>
public static class IncidentsSeed
{
    /// <param name="FiguresKey">A trust-wide key with incidents:read only (a reporting tool): the case figures and nothing else.</param>
    public sealed record Seeded(Guid CaseId, Guid EvidenceId, string WriteKey, string FiguresKey);

    private static readonly ConcurrentDictionary<object, Lazy<Task<Seeded>>> Cache = new();

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4, 5];

    public static DevUser Staff(ReplicaServiceHost<IncidentsService> host) => new("staff", "Staff", host.Trust, [$"{Roles.Staff}:{host.School}"]);

    public static DevUser Head(ReplicaServiceHost<IncidentsService> host) => new("head", "Head", host.Trust, [$"{Roles.Headteacher}:{host.School}"]);

    public static DevUser Dsl(ReplicaServiceHost<IncidentsService> host) => new("dsl", "DSL", host.Trust, [$"{Roles.Dsl}:{host.School}"]);

    public static DevUser Chair(ReplicaServiceHost<IncidentsService> host) => new("chair", "Chair", host.Trust, [Roles.Chair]);

    public static DevUser Admin(ReplicaServiceHost<IncidentsService> host) => new("admin", "Admin", host.Trust, [Roles.TrustAdmin]);

    public static string AccountMessage(DateTimeOffset receivedAt) => JsonSerializer.Serialize(new
    {
        type = "account_message",
        summary = "A parent asks on the school page when the trip leaves",
        accountMessage = new { platform = "facebook", kind = "query", receivedAt },
    });

    public static Task<Seeded> EnsureAsync(ReplicaServiceHost<IncidentsService> host) =>
        Cache.GetOrAdd(host, _ => new Lazy<Task<Seeded>>(() => CreateAsync(host))).Value;

    private static async Task<Seeded> CreateAsync(ReplicaServiceHost<IncidentsService> host)
    {
        var writeKey = await host.IssueKeyAsync(host.Trust, [Scopes.IncidentsWrite]);
        var figuresKey = await host.IssueKeyAsync(host.Trust, [Scopes.IncidentsRead]);
        var caseId = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));
        using var head = host.Service.ClientFor(Head(host));
        using var content = EvidenceFile(Png, "image/png");
        var upload = await head.PostAsync($"/v1/cases/{caseId}/evidence?fileName=shot.png", content);
        await Http.EnsureSuccessAsync(upload);
        var evidenceId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var keyClient = host.Service.ClientWithKey(writeKey);
        await Eventually.Until(async () => (await keyClient.PostAsync($"/v1/schools/{host.School}/cases", Json("{}"))).StatusCode,
            s => s == HttpStatusCode.BadRequest, because: "the replicated incidents:write key authenticates");
        using var figuresClient = host.Service.ClientWithKey(figuresKey);
        await Eventually.Until(async () => (await figuresClient.GetAsync("/v1/cases/statistics")).StatusCode,
            s => s == HttpStatusCode.BadRequest, because: "the replicated incidents:read key authenticates (and the query lacks its months)");
        return new Seeded(caseId, evidenceId, writeKey, figuresKey);
    }

    /// <summary>An evidence upload: a multipart/form-data body whose <c>file</c> part has <paramref name="contentType"/>.</summary>
    public static MultipartFormDataContent EvidenceFile(byte[] bytes, string contentType, string fileName = "evidence")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<Guid> ReportAsync(ReplicaServiceHost<IncidentsService> host, DevUser reporter, string body, Guid? school = null)
    {
        using var client = host.Service.ClientFor(reporter);
        var response = await client.PostAsync($"/v1/schools/{school ?? host.School}/cases", Json(body));
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<NpgsqlConnection> OwnerAsync(ReplicaServiceHost<IncidentsService> host)
    {
        var connection = new NpgsqlConnection(host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The outbox rows written for one case (read as the owner: the app role cannot read the outbox).</summary>
    public static async Task<List<(string Type, JsonElement Body)>> EventsForAsync(ReplicaServiceHost<IncidentsService> host, Guid caseId)
    {
        await using var connection = await OwnerAsync(host);
        await using var command = new NpgsqlCommand("SELECT message_type, body::text FROM incidents.outbox_messages WHERE aggregate_id = $1 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = caseId.ToString() });
        var result = new List<(string, JsonElement)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetString(0), JsonDocument.Parse(reader.GetString(1)).RootElement.Clone()));
        }

        return result;
    }
}
