using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static System.Net.HttpStatusCode;

namespace Trust.Platform.Training.Tests;

public sealed class TrainingServiceTests(ReplicaServiceHost<TrainingService> host)
    : ReplicaServiceTests<TrainingService>(host, "training"), IClassFixture<ReplicaServiceHost<TrainingService>>
{
    /// <summary>Records the matrix needs (a person in the own school, one in the other school, an import job), created once per host.</summary>
    private sealed record MatrixData(Guid Person, Guid OtherSchoolPerson, Guid Job, string IntegrationKey);

    private static readonly Dictionary<ReplicaServiceHost<TrainingService>, MatrixData> Data = [];

    private MatrixData Seed()
    {
        lock (Data)
        {
            if (!Data.TryGetValue(Host, out var data))
            {
                data = SeedAsync().GetAwaiter().GetResult();
                Data[Host] = data;
            }

            return data;
        }
    }

    private async Task<MatrixData> SeedAsync()
    {
        using var admin = Host.AdminClient();
        var job = await admin.SyncAsync(Host.School, [TrainingKit.Row("MATRIX-1")]);
        await admin.SyncAsync(Host.OtherSchool, [TrainingKit.Row("MATRIX-2")]);
        var key = await Host.IssueKeyAsync(Host.Trust, [Scopes.RosterRead, Scopes.RosterWrite, Scopes.ComplianceRead, Scopes.TrainingWrite]);
        using (var client = Host.Service.ClientWithKey(key))
        {
            await Eventually.Until(async () => (await client.GetAsync($"/v1/schools/{Host.School}/people")).StatusCode, s => s == OK, because: "the integration key replicates");
        }

        return new MatrixData(await Host.PersonIdAsync(Host.School, "MATRIX-1"), await Host.PersonIdAsync(Host.OtherSchool, "MATRIX-2"),
            job.GetProperty("id").GetGuid(), key);
    }

    protected override Dictionary<string, Func<HttpClient>> Callers()
    {
        var callers = base.Callers();
        var data = Seed();
        callers["key_integration"] = () => Host.Service.ClientWithKey(data.IntegrationKey);
        callers["staff_self"] = () => Host.Service.ClientFor(new DevUser("self", "Self", Host.Trust, [$"{Roles.Staff}:{Host.School}"], data.Person));
        return callers;
    }

    protected override IEnumerable<MatrixRow> ServiceRows()
    {
        var data = Seed();
        var s = Host.School;
        return
        [
            new("POST", "/v1/schools/{schoolId:guid}/roster/sync", $"/v1/schools/{s}/roster/sync", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Created, ["admin_other_trust"] = NotFound, ["head"] = Created,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = Created,
            }, """{"people": []}"""),
            new("GET", "/v1/schools/{schoolId:guid}/roster/jobs/{jobId:guid}", $"/v1/schools/{s}/roster/jobs/{data.Job}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/people", $"/v1/schools/{s}/people", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}", $"/v1/schools/{s}/people/{data.Person}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = NotFound, ["staff_self"] = OK, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            // Another school's person asked for under the caller's own school is not found, for everyone.
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}", $"/v1/schools/{s}/people/{data.OtherSchoolPerson}", new Dictionary<string, HttpStatusCode>
            {
                ["admin"] = NotFound, ["head"] = NotFound, ["key_integration"] = NotFound,
            }),
        ];
    }
}
