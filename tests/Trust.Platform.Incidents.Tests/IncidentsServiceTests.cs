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
        var key = Seed.WriteKey;
        callers["key_write"] = () => Host.Service.ClientWithKey(key);
        return callers;
    }

    private static Dictionary<string, HttpStatusCode> Expect(
        HttpStatusCode admin, HttpStatusCode otherTrust, HttpStatusCode head, HttpStatusCode staff, HttpStatusCode otherSchool,
        HttpStatusCode dsl, HttpStatusCode chair, HttpStatusCode keyWrite, HttpStatusCode restrictedKey = Forbidden) => new()
    {
        [MatrixCallers.RestrictedKey] = restrictedKey, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["key_read"] = Forbidden, ["key_no_scope"] = Forbidden,
        ["admin"] = admin, ["admin_other_trust"] = otherTrust, ["head"] = head, ["staff"] = staff, ["head_other_school"] = otherSchool,
        ["dsl"] = dsl, ["chair"] = chair, ["key_write"] = keyWrite,
    };

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
            new("GET", "/v1/cases/{id:guid}", $"/v1/cases/{c}",
                Expect(OK, NotFound, OK, OK, NotFound, OK, NotFound, NotFound, NotFound)),
            new("GET", "/v1/cases/{id:guid}/timeline", $"/v1/cases/{c}/timeline",
                Expect(OK, NotFound, OK, NotFound, NotFound, OK, NotFound, Forbidden)),
            new("GET", "/v1/cases/{id:guid}/timeline/verify", $"/v1/cases/{c}/timeline/verify",
                Expect(OK, NotFound, OK, NotFound, NotFound, OK, NotFound, Forbidden)),
            new("POST", "/v1/cases/{id:guid}/notes", $"/v1/cases/{c}/notes",
                Expect(BadRequest, NotFound, BadRequest, NotFound, NotFound, BadRequest, NotFound, Forbidden), """{"text": ""}"""),
            new("POST", "/v1/cases/{id:guid}/escalations", $"/v1/cases/{c}/escalations",
                Expect(BadRequest, NotFound, BadRequest, Forbidden, NotFound, BadRequest, NotFound, Forbidden), """{"step": "nope", "reason": "x"}"""),
            new("POST", "/v1/cases/{id:guid}/close", $"/v1/cases/{c}/close",
                Expect(BadRequest, NotFound, BadRequest, Forbidden, NotFound, BadRequest, NotFound, Forbidden), """{"outcome": "nope", "significant": false}"""),
            new("POST", "/v1/cases/{id:guid}/decision", $"/v1/cases/{c}/decision",
                Expect(Forbidden, Forbidden, BadRequest, Forbidden, NotFound, Forbidden, Forbidden, Forbidden), """{"approved": true, "reasons": "Needed for a lesson"}"""),
            new("GET", "/v1/cases/{id:guid}/export", $"/v1/cases/{c}/export",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, NotFound, Forbidden)),
            // A JSON body is not evidence: allowed callers get 415.
            new("POST", "/v1/cases/{id:guid}/evidence", $"/v1/cases/{c}/evidence",
                Expect(UnsupportedMediaType, NotFound, UnsupportedMediaType, NotFound, NotFound, UnsupportedMediaType, NotFound, Forbidden), "{}"),
            new("GET", "/v1/cases/{id:guid}/evidence/{evidenceId:guid}", $"/v1/cases/{c}/evidence/{e}",
                Expect(OK, NotFound, OK, NotFound, NotFound, OK, NotFound, Forbidden)),
            new("PUT", "/v1/cases/{id:guid}/legal-hold", $"/v1/cases/{c}/legal-hold",
                Expect(BadRequest, NotFound, BadRequest, Forbidden, NotFound, BadRequest, NotFound, Forbidden), """{"hold": true}"""),
            // Only a DSL or the chair re-routes; the chair cannot see this (unrestricted, not chair-informed) case.
            new("POST", "/v1/cases/{id:guid}/routing", $"/v1/cases/{c}/routing",
                Expect(Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, BadRequest, NotFound, Forbidden), """{"reason": ""}"""),
            new("GET", "/v1/schools/{schoolId:guid}/cases/due-for-review", $"/v1/schools/{school}/cases/due-for-review",
                Expect(OK, NotFound, Forbidden, Forbidden, Forbidden, OK, Forbidden, Forbidden)),
            new("GET", "/v1/schools/{schoolId:guid}/case-audit", $"/v1/schools/{school}/case-audit",
                Expect(OK, NotFound, Forbidden, Forbidden, Forbidden, OK, Forbidden, Forbidden)),
            new("GET", "/v1/schools/{schoolId:guid}/incident-policy", $"/v1/schools/{school}/incident-policy",
                Expect(OK, NotFound, OK, Forbidden, NotFound, OK, Forbidden, Forbidden)),
        ];
    }
}
