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
    private sealed record MatrixData(Guid Person, Guid OtherSchoolPerson, Guid Job, Guid ImportJob, string IntegrationKey);

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

        var imported = await admin.PostAsJsonAsync($"/v1/schools/{Host.School}/completions/import", new { completions = Array.Empty<object>() });
        await Http.EnsureSuccessAsync(imported);
        var importJob = await imported.Content.ReadFromJsonAsync<JsonElement>();
        return new MatrixData(await Host.PersonIdAsync(Host.School, "MATRIX-1"), await Host.PersonIdAsync(Host.OtherSchool, "MATRIX-2"),
            job.GetProperty("id").GetGuid(), importJob.GetProperty("id").GetGuid(), key);
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
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Created, ["admin_other_trust"] = NotFound, ["head"] = Created,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = Created,
            }, """{"people": []}"""),
            new("GET", "/v1/schools/{schoolId:guid}/roster/jobs/{jobId:guid}", $"/v1/schools/{s}/roster/jobs/{data.Job}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/people", $"/v1/schools/{s}/people", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}", $"/v1/schools/{s}/people/{data.Person}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = NotFound, ["staff_self"] = OK, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            // Another school's person asked for under the caller's own school is not found, for everyone.
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}", $"/v1/schools/{s}/people/{data.OtherSchoolPerson}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["admin"] = NotFound, ["head"] = NotFound, ["key_integration"] = NotFound,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/subject-access", $"/v1/schools/{s}/subject-access?rosterId={data.Person}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["staff_self"] = Forbidden, ["chair"] = Forbidden,
                ["key_read"] = Forbidden, ["key_integration"] = Forbidden,
            }),
            // The log of answered exports: whoever may export may read it; another school's is a 404.
            new("GET", "/v1/schools/{schoolId:guid}/subject-access/log", $"/v1/schools/{s}/subject-access/log", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["staff_self"] = Forbidden, ["chair"] = Forbidden,
                ["key_read"] = Forbidden, ["key_integration"] = Forbidden,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/training-policy", $"/v1/schools/{s}/training-policy", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = OK, ["chair"] = OK, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}/requirements", $"/v1/schools/{s}/people/{data.Person}/requirements", PersonRecord(OK)),
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}/completions", $"/v1/schools/{s}/people/{data.Person}/completions", PersonRecord(OK)),
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements", $"/v1/schools/{s}/people/{data.Person}/acknowledgements", PersonRecord(OK)),
            // No acknowledgement has this id: who may look is still decided (403/404) before the record is looked for.
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements/{id:guid}",
                $"/v1/schools/{s}/people/{data.Person}/acknowledgements/{Guid.CreateVersion7()}", PersonRecord(NotFound)),
            new("GET", "/v1/schools/{schoolId:guid}/people/{personId:guid}/requirements", $"/v1/schools/{s}/people/{data.OtherSchoolPerson}/requirements", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["admin"] = NotFound, ["head"] = NotFound, ["key_integration"] = NotFound,
            }),
            new("POST", "/v1/courses", "/v1/courses", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["admin_other_trust"] = BadRequest, ["head"] = Forbidden,
                ["dsl"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = BadRequest,
            }, """{"code": "", "title": ""}"""),
            new("GET", "/v1/courses", "/v1/courses", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK,
                ["staff"] = OK, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            new("POST", "/v1/schools/{schoolId:guid}/people/{personId:guid}/completions", $"/v1/schools/{s}/people/{data.Person}/completions", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["admin_other_trust"] = NotFound, ["head"] = BadRequest,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["staff_self"] = Forbidden, ["key_read"] = Forbidden,
                ["key_integration"] = BadRequest,
            }, $$"""{"courseId": "{{Guid.Empty}}", "completedOn": "2026-01-05", "provider": "x"}"""),
            new("POST", "/v1/schools/{schoolId:guid}/people/{personId:guid}/acknowledgements", $"/v1/schools/{s}/people/{data.Person}/acknowledgements", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = NotFound, ["admin_other_trust"] = NotFound, ["head"] = NotFound,
                ["head_other_school"] = NotFound, ["dsl"] = NotFound, ["staff"] = NotFound, ["staff_self"] = BadRequest, ["key_read"] = Forbidden,
                ["key_integration"] = Forbidden,
            }, $$"""{"policyVersionId": "{{Guid.Empty}}"}"""),
            new("POST", "/v1/schools/{schoolId:guid}/sessions", $"/v1/schools/{s}/sessions", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["admin_other_trust"] = BadRequest, ["head"] = BadRequest,
                ["head_other_school"] = NotFound, ["dsl"] = BadRequest, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = BadRequest,
            }, """{"audience": "nobody", "topic": "x", "heldOn": "2026-01-05", "deliveredBy": "y"}"""),
            // The bad audience above is refused by the body's rules before the school is looked up; with a valid body another trust's or
            // another school's caller still gets a 404.
            new("POST", "/v1/schools/{schoolId:guid}/sessions", $"/v1/schools/{s}/sessions", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["admin_other_trust"] = NotFound, ["head_other_school"] = NotFound,
            }, """{"audience": "parents", "topic": "Keeping safe online", "heldOn": "2026-01-05", "deliveredBy": "DSL", "attendanceCount": 12}"""),
            new("GET", "/v1/schools/{schoolId:guid}/sessions", $"/v1/schools/{s}/sessions", SchoolReaders()),
            new("GET", "/v1/schools/{schoolId:guid}/compliance", $"/v1/schools/{s}/compliance", SchoolReaders()),
            new("GET", "/v1/compliance", "/v1/compliance", TrustReaders()),
            new("GET", "/v1/compliance/export", "/v1/compliance/export", TrustReaders()),
            new("POST", "/v1/schools/{schoolId:guid}/completions/import", $"/v1/schools/{s}/completions/import", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Created, ["admin_other_trust"] = NotFound, ["head"] = Created,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["chair"] = Forbidden, ["key_read"] = Forbidden,
                ["key_integration"] = Created,
            }, """{"completions": []}"""),
            new("GET", "/v1/schools/{schoolId:guid}/completions/jobs/{jobId:guid}", $"/v1/schools/{s}/completions/jobs/{data.ImportJob}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
            // A JSON body is not a sheet: the upload is multipart/form-data, so routing answers 415 to anyone, before authentication
            // (Sheet_uploads_are_authorised_like_every_other_write sends the multipart body).
            new("POST", "/v1/schools/{schoolId:guid}/acknowledgement-sheets", $"/v1/schools/{s}/acknowledgement-sheets", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = UnsupportedMediaType, [MatrixCallers.RoleWithoutSchool] = UnsupportedMediaType,
                ["anonymous"] = UnsupportedMediaType, ["admin"] = UnsupportedMediaType,
            }, "{}"),
            // No sheet has this id: who may look is still decided (401/403/404) before the sheet is looked for. API keys are refused.
            new("GET", "/v1/schools/{schoolId:guid}/acknowledgement-sheets/{sheetId:guid}", $"/v1/schools/{s}/acknowledgement-sheets/{Guid.CreateVersion7()}",
                new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = NotFound, ["admin_other_trust"] = NotFound, ["head"] = NotFound,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["chair"] = Forbidden, ["key_read"] = Forbidden,
                ["key_integration"] = Forbidden,
            }),
            // Names of people behind: the school's headteacher and the trust's admins, not the DSL.
            new("GET", "/v1/schools/{schoolId:guid}/compliance/people", $"/v1/schools/{s}/compliance/people", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["chair"] = Forbidden, ["key_read"] = Forbidden,
                ["key_integration"] = OK,
            }),
            new("GET", "/v1/compliance/people", "/v1/compliance/people", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK,
                ["dsl"] = Forbidden, ["staff"] = Forbidden, ["chair"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
            }),
        ];
    }

    /// <summary>The matrix sends JSON, which routing refuses (415) before authentication: this sends the multipart body a sheet needs.</summary>
    [Fact]
    public async Task Sheet_uploads_are_authorised_like_every_other_write()
    {
        // A scan whose bytes are not the PNG it claims: allowed callers reach the handler's 415, nothing is recorded.
        var expected = new Dictionary<string, HttpStatusCode>
        {
            [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
            ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = UnsupportedMediaType, ["admin_other_trust"] = NotFound,
            ["head"] = UnsupportedMediaType, ["head_other_school"] = NotFound, ["dsl"] = Forbidden, ["staff"] = Forbidden, ["chair"] = Forbidden,
            ["key_read"] = Forbidden, ["key_integration"] = UnsupportedMediaType,
        };
        var callers = Callers();
        var failures = new List<string>();
        foreach (var (caller, status) in expected)
        {
            using var client = callers[caller]();
            using var content = AcknowledgementSheetTests.Sheet("not an image"u8.ToArray(), "image/png", misIds: "MATRIX-1");
            using var response = await client.PostAsync($"/v1/schools/{Host.School}/acknowledgement-sheets", content);
            if (response.StatusCode != status)
            {
                failures.Add($"{caller}: expected {(int)status}, got {(int)response.StatusCode}");
            }
        }

        failures.Should().BeEmpty();
    }

    /// <summary>A person's own records: readers of the school and the person themself; a colleague or another school gets 404.</summary>
    private static Dictionary<string, HttpStatusCode> PersonRecord(HttpStatusCode ok) => new()
    {
        [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = ok, ["admin_other_trust"] = NotFound, ["head"] = ok,
        ["head_other_school"] = NotFound, ["dsl"] = ok, ["staff"] = NotFound, ["staff_self"] = ok, ["chair"] = NotFound, ["key_read"] = Forbidden,
        ["key_integration"] = ok,
    };

    private static Dictionary<string, HttpStatusCode> SchoolReaders() => new()
    {
        [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
        ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
    };

    private static Dictionary<string, HttpStatusCode> TrustReaders() => new()
    {
        [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK,
        ["staff"] = Forbidden, ["chair"] = Forbidden, ["key_read"] = Forbidden, ["key_integration"] = OK,
    };
}
