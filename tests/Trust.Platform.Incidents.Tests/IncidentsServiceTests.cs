using System.Net;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static System.Net.HttpStatusCode;

namespace Trust.Platform.Incidents.Tests;

public sealed class IncidentsServiceTests(ReplicaServiceHost<IncidentsService> host)
    : ReplicaServiceTests<IncidentsService>(host, "incidents"), IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private IncidentsSeed.Seeded Seed => Task.Run(() => IncidentsSeed.EnsureAsync(Host)).GetAwaiter().GetResult();

    protected override Dictionary<string, Func<HttpClient>> Callers()
    {
        var callers = base.Callers();
        var (key, figures) = (Seed.WriteKey, Seed.FiguresKey);
        callers["key_write"] = () => Host.Service.ClientWithKey(key);
        callers["key_figures"] = () => Host.Service.ClientWithKey(figures);
        return callers;
    }

    private static Dictionary<string, HttpStatusCode> Expect(
        HttpStatusCode admin, HttpStatusCode otherTrust, HttpStatusCode head, HttpStatusCode staff, HttpStatusCode otherSchool,
        HttpStatusCode dsl, HttpStatusCode chair, HttpStatusCode keyWrite, HttpStatusCode restrictedKey = Forbidden, HttpStatusCode keyFigures = Forbidden) => new()
    {
        [MatrixCallers.RestrictedKey] = restrictedKey, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["key_read"] = Forbidden, ["key_no_scope"] = Forbidden,
        ["admin"] = admin, ["admin_other_trust"] = otherTrust, ["head"] = head, ["staff"] = staff, ["head_other_school"] = otherSchool,
        ["dsl"] = dsl, ["chair"] = chair, ["key_write"] = keyWrite, ["key_figures"] = keyFigures,
    };

    /// <summary>
    /// A body is validated before the case is looked up: callers who may not see the case send a valid one to meet the 404
    /// (nothing changes, as they cannot reach it).
    /// </summary>
    private static MatrixRow NotFoundWithValidBody(string method, string pattern, string path, string body, params string[] notFound)
    {
        var expected = new Dictionary<string, HttpStatusCode> { [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized };
        foreach (var caller in notFound)
        {
            expected[caller] = NotFound;
        }

        return new MatrixRow(method, pattern, path, expected, body);
    }

    /// <summary>
    /// The seeded case is a staff member's report of a comment on the school's account (not restricted, routed to the
    /// marketing officer). Writes use bodies that fail validation, so an allowed caller gets 400 and the case stays as it is.
    /// </summary>
    protected override IEnumerable<MatrixRow> ServiceRows()
    {
        var school = Host.School;
        var c = Seed.CaseId;
        var e = Seed.EvidenceId;
        return
        [
            new("POST", "/v1/schools/{schoolId:guid}/cases", $"/v1/schools/{school}/cases",
                Expect(Forbidden, Forbidden, Created, Created, NotFound, Created, Forbidden, Created, NotFound), IncidentsSeed.AccountMessage(TestClock.Now)),
            new("GET", "/v1/schools/{schoolId:guid}/cases", $"/v1/schools/{school}/cases",
                Expect(OK, NotFound, OK, OK, NotFound, OK, OK, Forbidden)),
            new("GET", "/v1/cases/overdue", "/v1/cases/overdue",
                Expect(OK, OK, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden)),
            new("GET", "/v1/cases", "/v1/cases?type=account_message&status=open",
                Expect(OK, OK, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden)),
            // The figures are all an incidents:read key reads (every other row: 403); a key restricted to the other school gets
            // that school's figures trust-wide, and a 404 for this school's.
            new("GET", "/v1/cases/statistics", "/v1/cases/statistics?from=2026-09&to=2027-08",
                Expect(OK, OK, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, restrictedKey: OK, keyFigures: OK)),
            new("GET", "/v1/schools/{schoolId:guid}/cases/statistics", $"/v1/schools/{school}/cases/statistics?from=2026-09&to=2027-08",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, OK, Forbidden, restrictedKey: NotFound, keyFigures: OK)),
            new("GET", "/v1/cases/{id:guid}", $"/v1/cases/{c}",
                Expect(OK, NotFound, OK, OK, NotFound, OK, NotFound, NotFound, NotFound)),
            new("GET", "/v1/cases/{id:guid}/timeline", $"/v1/cases/{c}/timeline",
                Expect(OK, NotFound, OK, NotFound, NotFound, OK, NotFound, Forbidden)),
            new("GET", "/v1/cases/{id:guid}/timeline/verify", $"/v1/cases/{c}/timeline/verify",
                Expect(OK, NotFound, OK, NotFound, NotFound, OK, NotFound, Forbidden)),
            new("POST", "/v1/cases/{id:guid}/notes", $"/v1/cases/{c}/notes",
                Expect(BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, BadRequest, Forbidden), """{"text": ""}"""),
            NotFoundWithValidBody("POST", "/v1/cases/{id:guid}/notes", $"/v1/cases/{c}/notes", """{"text": "Seen"}""", "admin_other_trust", "staff", "head_other_school", "chair"),
            new("POST", "/v1/cases/{id:guid}/escalations", $"/v1/cases/{c}/escalations",
                Expect(BadRequest, BadRequest, BadRequest, Forbidden, BadRequest, BadRequest, BadRequest, Forbidden), """{"step": "nope", "reason": "x"}"""),
            NotFoundWithValidBody("POST", "/v1/cases/{id:guid}/escalations", $"/v1/cases/{c}/escalations", """{"step": "internal", "reason": "x"}""",
                "admin_other_trust", "head_other_school", "chair"),
            new("POST", "/v1/cases/{id:guid}/close", $"/v1/cases/{c}/close",
                Expect(BadRequest, BadRequest, BadRequest, Forbidden, BadRequest, BadRequest, BadRequest, Forbidden), """{"outcome": "nope", "significant": false}"""),
            NotFoundWithValidBody("POST", "/v1/cases/{id:guid}/close", $"/v1/cases/{c}/close", """{"outcome": "no_further_action", "significant": false}""",
                "admin_other_trust", "head_other_school", "chair"),
            new("GET", "/v1/cases/{id:guid}/export", $"/v1/cases/{c}/export",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, NotFound, Forbidden)),
            // Multipart uploads are authorised like every other write: Evidence_uploads_are_authorised_like_every_other_write.
            // A JSON body is not evidence: the upload is multipart/form-data, so routing answers 415 to anyone, before authentication.
            new("POST", "/v1/cases/{id:guid}/evidence", $"/v1/cases/{c}/evidence", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = UnsupportedMediaType, [MatrixCallers.RoleWithoutSchool] = UnsupportedMediaType,
                ["anonymous"] = UnsupportedMediaType, ["admin"] = UnsupportedMediaType,
            }, "{}"),
            new("GET", "/v1/cases/{id:guid}/evidence/{evidenceId:guid}", $"/v1/cases/{c}/evidence/{e}",
                Expect(OK, NotFound, OK, NotFound, NotFound, OK, NotFound, Forbidden)),
            new("PUT", "/v1/cases/{id:guid}/legal-hold", $"/v1/cases/{c}/legal-hold",
                Expect(BadRequest, BadRequest, BadRequest, Forbidden, BadRequest, BadRequest, BadRequest, Forbidden), """{"hold": true}"""),
            NotFoundWithValidBody("PUT", "/v1/cases/{id:guid}/legal-hold", $"/v1/cases/{c}/legal-hold", """{"hold": false}""",
                "admin_other_trust", "head_other_school", "chair"),
            // Only a DSL or the chair re-routes; the chair cannot see this (unrestricted, not chair-informed) case.
            new("POST", "/v1/cases/{id:guid}/routing", $"/v1/cases/{c}/routing",
                Expect(Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, BadRequest, BadRequest, Forbidden), """{"reason": ""}"""),
            NotFoundWithValidBody("POST", "/v1/cases/{id:guid}/routing", $"/v1/cases/{c}/routing", """{"reason": "x", "assignedRole": "dsl"}""", "chair"),
            new("GET", "/v1/schools/{schoolId:guid}/cases/due-for-review", $"/v1/schools/{school}/cases/due-for-review",
                Expect(OK, NotFound, Forbidden, Forbidden, Forbidden, OK, Forbidden, Forbidden)),
            // Another trust meets the 404 with a valid body; the seeded case is open, so no row here could dispose of it.
            new("POST", "/v1/cases/{id:guid}/disposal", $"/v1/cases/{c}/disposal",
                Expect(BadRequest, BadRequest, Forbidden, Forbidden, Forbidden, BadRequest, Forbidden, Forbidden), """{"reason": ""}"""),
            NotFoundWithValidBody("POST", "/v1/cases/{id:guid}/disposal", $"/v1/cases/{c}/disposal", """{"reason": "Retention ended"}""", "admin_other_trust"),
            new("GET", "/v1/schools/{schoolId:guid}/case-disposals", $"/v1/schools/{school}/case-disposals",
                Expect(OK, NotFound, Forbidden, Forbidden, Forbidden, OK, Forbidden, Forbidden)),
            new("GET", "/v1/schools/{schoolId:guid}/subject-access", $"/v1/schools/{school}/subject-access?misId=MIS-1",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, Forbidden, Forbidden)),
            // The log of answered exports: whoever may export may read it; another school's is a 404.
            new("GET", "/v1/schools/{schoolId:guid}/subject-access/log", $"/v1/schools/{school}/subject-access/log",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, Forbidden, Forbidden)),
            new("GET", "/v1/schools/{schoolId:guid}/case-audit", $"/v1/schools/{school}/case-audit",
                Expect(OK, NotFound, Forbidden, Forbidden, Forbidden, OK, Forbidden, Forbidden)),
            new("GET", "/v1/schools/{schoolId:guid}/incident-policy", $"/v1/schools/{school}/incident-policy",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, Forbidden, Forbidden)),
        ];
    }

    /// <summary>The matrix sends JSON, which routing refuses (415) before authentication: this sends the multipart body it needs.</summary>
    [Fact]
    public async Task Evidence_uploads_are_authorised_like_every_other_write()
    {
        // A file whose bytes are not the PNG it claims: allowed callers reach the handler's 415, nothing is stored.
        var expected = Expect(UnsupportedMediaType, NotFound, UnsupportedMediaType, NotFound, NotFound, UnsupportedMediaType, NotFound, Forbidden);
        var callers = Callers();
        var failures = new List<string>();
        foreach (var (caller, status) in expected)
        {
            using var client = callers[caller]();
            using var content = IncidentsSeed.EvidenceFile("not an image"u8.ToArray(), "image/png");
            using var response = await client.PostAsync($"/v1/cases/{Seed.CaseId}/evidence", content);
            if (response.StatusCode != status)
            {
                failures.Add($"{caller}: expected {(int)status}, got {(int)response.StatusCode}");
            }
        }

        failures.Should().BeEmpty();
    }
}
