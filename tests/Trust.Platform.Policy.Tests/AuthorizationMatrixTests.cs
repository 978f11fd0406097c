using System.Net;
using System.Net.Http.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static System.Net.HttpStatusCode;

namespace Trust.Platform.Policy.Tests;

/// <summary>Every endpoint x caller -> expected status, executed. Unauthorised bodies are invalid on purpose: an allowed caller gets 400, a refused one 401/403/404.</summary>
[Collection(PolicyCollection.Name)]
public sealed class AuthorizationMatrixTests(PolicyFixture fixture)
{
    private const string InvalidSchool = """{"name": "", "urn": "1", "phase": "primary"}""";

    private async Task<(IReadOnlyDictionary<string, Func<HttpClient>> Callers, Guid KeyId, Guid MemberId, Guid AppointmentId)> CallersAsync()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        async Task<IssuedKey> Issue(string[] scopes, Guid[]? schools = null)
        {
            var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "matrix", scopes, schoolIds = schools });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<IssuedKey>())!;
        }

        var keyRead = await Issue([Scopes.DirectoryRead]);
        var keyWrite = await Issue([Scopes.DirectoryWrite, Scopes.DirectoryRead]);
        var keyNone = await Issue([Scopes.RosterWrite]);
        var keyOtherSchool = await Issue([Scopes.DirectoryRead], [fixture.SchoolA2]);
        var keyPolicy = await Issue([Scopes.PolicyRead]);
        var keyRestricted = await Issue([.. Scopes.All], [fixture.SchoolA2]);
        var p = fixture.Policy;
        var callers = new Dictionary<string, Func<HttpClient>>
        {
            ["anonymous"] = () => p.ClientFor(null),
            ["operator"] = () => p.ClientFor(PolicyFixture.Operator),
            ["admin"] = () => p.ClientFor(fixture.TrustAdmin(fixture.TrustA)),
            ["admin_other_trust"] = () => p.ClientFor(fixture.TrustAdmin(fixture.TrustB)),
            ["head"] = () => p.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA1)),
            ["head_other_school"] = () => p.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA2)),
            ["staff"] = () => p.ClientFor(fixture.InSchool(Roles.Staff, fixture.TrustA, fixture.SchoolA1)),
            ["dsl"] = () => p.ClientFor(fixture.InSchool(Roles.Dsl, fixture.TrustA, fixture.SchoolA1)),
            ["key_read"] = () => p.ClientWithKey(keyRead.Secret),
            ["key_write"] = () => p.ClientWithKey(keyWrite.Secret),
            ["key_no_scope"] = () => p.ClientWithKey(keyNone.Secret),
            ["key_other_school"] = () => p.ClientWithKey(keyOtherSchool.Secret),
            ["key_policy"] = () => p.ClientWithKey(keyPolicy.Secret),
            [MatrixCallers.RestrictedKey] = () => p.ClientWithKey(keyRestricted.Secret),
            ["service"] = () => p.ClientWithToken(TestTokens.Sign(p, new Dictionary<string, object>
            {
                [PlatformClaims.Subject] = "service:matrix", [PlatformClaims.Role] = Roles.PlatformService,
            })),
            [MatrixCallers.RoleWithoutSchool] = () => p.ClientWithToken(TestTokens.Sign(p, TestTokens.User(fixture.TrustA, TestTokens.SchoolRolesWithoutSchool))),
        };
        var (memberId, appointmentId) = await PeopleTests.MemberAppointedAsync(admin, fixture.SchoolA1, "staff");
        return (callers, keyRead.Key.Id, memberId, appointmentId);
    }

    private IReadOnlyList<MatrixRow> Rows(Guid keyId, Guid memberId = default, Guid appointmentId = default)
    {
        var a1 = fixture.SchoolA1;
        return
        [
            new("POST", "/v1/trusts", "/v1/trusts", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = BadRequest, ["admin"] = Forbidden, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"name": "", "firstAdmin": {"displayName": "", "email": "x"}}"""),
            new("GET", "/v1/trusts/{trustId:guid}", $"/v1/trusts/{fixture.TrustA}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = OK, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = Forbidden,
                ["staff"] = Forbidden, ["key_read"] = OK, ["key_no_scope"] = Forbidden,
            }),
            new("GET", "/v1/me", "/v1/me", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["service"] = Forbidden, ["admin"] = OK, ["head"] = OK, ["staff"] = OK, ["dsl"] = OK,
                ["key_read"] = OK, ["key_no_scope"] = OK, ["key_policy"] = OK,
            }),
            new("POST", "/v1/schools", "/v1/schools", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = Forbidden, ["dsl"] = Forbidden,
                ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_write"] = BadRequest, ["key_no_scope"] = Forbidden,
            }, InvalidSchool),
            new("GET", "/v1/schools", "/v1/schools", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK, ["staff"] = OK,
                ["dsl"] = OK, ["key_read"] = OK, ["key_no_scope"] = Forbidden, ["key_other_school"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}", $"/v1/schools/{a1}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["staff"] = OK, ["dsl"] = OK, ["key_read"] = OK, ["key_no_scope"] = Forbidden, ["key_other_school"] = NotFound,
            }),
            new("PUT", "/v1/schools/{schoolId:guid}", $"/v1/schools/{a1}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = Forbidden, ["staff"] = Forbidden,
                ["key_read"] = Forbidden, ["key_write"] = BadRequest, ["key_other_school"] = Forbidden,
            }, InvalidSchool),
            // A body is validated before the record is looked up: another trust's admin sends a valid one to meet the 404.
            new("PUT", "/v1/schools/{schoolId:guid}", $"/v1/schools/{a1}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized, ["admin_other_trust"] = NotFound,
            }, """{"name": "Elsewhere", "urn": "999999", "phase": "primary"}"""),
            new("POST", "/v1/api-keys", "/v1/api-keys", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"name": "", "scopes": []}"""),
            new("GET", "/v1/api-keys", "/v1/api-keys", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/api-keys/{keyId:guid}", $"/v1/api-keys/{keyId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("DELETE", "/v1/api-keys/{keyId:guid}", $"/v1/api-keys/{Guid.NewGuid()}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }),
            new("POST", "/v1/webhooks", "/v1/webhooks", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = Forbidden, ["dsl"] = Forbidden,
                ["staff"] = Forbidden, ["key_write"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"url": "http://10.0.0.1/", "eventTypes": []}"""),
            new("GET", "/v1/webhooks", "/v1/webhooks", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = Forbidden, ["staff"] = Forbidden,
                ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/webhooks/{subscriptionId:guid}", $"/v1/webhooks/{Guid.NewGuid()}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["admin_other_trust"] = NotFound, ["head"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("DELETE", "/v1/webhooks/{subscriptionId:guid}", $"/v1/webhooks/{Guid.NewGuid()}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }),
            new("GET", "/v1/webhooks/{subscriptionId:guid}/deliveries", $"/v1/webhooks/{Guid.NewGuid()}/deliveries", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["dsl"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("POST", "/v1/webhooks/{subscriptionId:guid}/deliveries/{deliveryId:guid}/replay", $"/v1/webhooks/{Guid.NewGuid()}/deliveries/{Guid.NewGuid()}/replay", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }),
            new("GET", "/v1/api-keys/changes", "/v1/api-keys/changes", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Forbidden, ["key_read"] = Forbidden, ["service"] = OK,
            }),
            new("GET", "/v1/policy/catalogue", "/v1/policy/catalogue", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["head"] = OK, ["staff"] = OK, ["key_policy"] = OK, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/policy/baseline", "/v1/policy/baseline", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK, ["staff"] = Forbidden, ["dsl"] = Forbidden,
                ["key_policy"] = OK, ["key_read"] = Forbidden,
            }),
            new("PUT", "/v1/policy/baseline/{key}", "/v1/policy/baseline/sla.response_hours", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"value": "abc"}"""),
            new("POST", "/v1/policy/baseline/conflict-preview", "/v1/policy/baseline/conflict-preview", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"changes": [{"key": "nope"}]}"""),
            new("GET", "/v1/schools/{schoolId:guid}/policy/overrides", $"/v1/schools/{a1}/policy/overrides", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = Forbidden, ["key_policy"] = OK, ["key_read"] = Forbidden,
            }),
            new("PUT", "/v1/schools/{schoolId:guid}/policy/overrides/{key}", $"/v1/schools/{a1}/policy/overrides/sla.response_hours", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = BadRequest, ["head_other_school"] = NotFound,
                ["staff"] = Forbidden, ["dsl"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"value": "abc"}"""),
            // The value is validated before the school is looked up: another trust's admin sends a valid one to meet the 404.
            new("PUT", "/v1/schools/{schoolId:guid}/policy/overrides/{key}", $"/v1/schools/{a1}/policy/overrides/sla.response_hours", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized, ["admin_other_trust"] = NotFound,
            }, """{"value": 24}"""),
            new("DELETE", "/v1/schools/{schoolId:guid}/policy/overrides/{key}", $"/v1/schools/{a1}/policy/overrides/journalist.rule", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["head"] = NotFound, ["staff"] = Forbidden, ["key_policy"] = Forbidden,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/policy/effective", $"/v1/schools/{a1}/policy/effective", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["staff"] = OK, ["dsl"] = OK, ["key_policy"] = OK, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/policy/deviations", "/v1/policy/deviations", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_policy"] = OK,
            }),
            new("POST", "/v1/policy/versions", "/v1/policy/versions", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"kind": "x", "summary": ""}"""),
            new("GET", "/v1/policy/versions", "/v1/policy/versions", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = OK, ["staff"] = Forbidden, ["key_policy"] = OK,
            }),
            new("POST", "/v1/policy/versions/{versionId:guid}/approve", $"/v1/policy/versions/{Guid.NewGuid()}/approve", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"approverName": "x", "approvingBody": "y", "approvedOn": "2026-01-01"}"""),
            new("POST", "/v1/policy/versions/{versionId:guid}/publish", $"/v1/policy/versions/{Guid.NewGuid()}/publish", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["key_policy"] = Forbidden,
            }),
            new("GET", "/v1/policy/documents/preview", "/v1/policy/documents/preview", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_policy"] = Forbidden,
            }),
            new("GET", "/v1/policy/templates", "/v1/policy/templates", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = OK, ["staff"] = Forbidden, ["key_policy"] = OK,
            }),
            // The trust's own document: its readers and its keys with policy.read; a school's staff read their school's document instead.
            new("GET", "/v1/policy/document", "/v1/policy/document", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = OK, ["staff"] = Forbidden, ["key_policy"] = OK, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/policy/templates/{key}", "/v1/policy/templates/swgfl-school", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = OK, ["staff"] = Forbidden, ["key_policy"] = OK,
            }),
            new("PUT", "/v1/policy/templates/{key}", "/v1/policy/templates/swgfl-school", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"markdown": ""}"""),
            new("PUT", "/v1/schools/{schoolId:guid}/policy/sections/{sectionId}", $"/v1/schools/{a1}/policy/sections/definitions", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = UnprocessableEntity, ["admin_other_trust"] = NotFound, ["head"] = UnprocessableEntity,
                ["head_other_school"] = NotFound, ["staff"] = Forbidden, ["key_policy"] = Forbidden,
            }, """{"markdown": "x"}"""),
            new("GET", "/v1/schools/{schoolId:guid}/policy/document", $"/v1/schools/{a1}/policy/document", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = OK, ["key_policy"] = OK, ["key_read"] = Forbidden,
            }),
            // An invalid body (no approving body): allowed callers meet the validator's 400, refused ones their 401/403/404.
            new("POST", "/v1/schools/{schoolId:guid}/policy/versions/{versionId:guid}/approval", $"/v1/schools/{a1}/policy/versions/{Guid.NewGuid()}/approval", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = BadRequest, ["head_other_school"] = NotFound,
                ["staff"] = Forbidden, ["dsl"] = Forbidden, ["key_policy"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"approvingBody": "", "approverName": "x", "approvedOn": "2026-01-01"}"""),
            // A valid body meets the lookup: an unknown version, and another trust's school, are 404.
            new("POST", "/v1/schools/{schoolId:guid}/policy/versions/{versionId:guid}/approval", $"/v1/schools/{a1}/policy/versions/{Guid.NewGuid()}/approval", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["admin"] = NotFound, ["admin_other_trust"] = NotFound, ["head"] = NotFound, ["head_other_school"] = NotFound,
            }, """{"approvingBody": "Governing Body", "approverName": "Chair of Governors", "approvedOn": "2026-01-01"}"""),
            new("GET", "/v1/schools/{schoolId:guid}/policy/approvals", $"/v1/schools/{a1}/policy/approvals", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = OK, ["dsl"] = OK, ["key_policy"] = OK, ["key_read"] = Forbidden, ["key_other_school"] = Forbidden,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/blocked-sites", $"/v1/schools/{a1}/blocked-sites", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = NotFound, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = OK, ["dsl"] = OK, ["key_policy"] = OK, ["key_read"] = Forbidden, ["key_other_school"] = Forbidden,
            }),
            // An invalid body (no site): staff of the school meet the validator's 400; a key cannot request (a person's act).
            new("GET", "/v1/schools/{schoolId:guid}/subject-access", $"/v1/schools/{a1}/subject-access?rosterId={Guid.CreateVersion7()}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["service"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound,
                ["head"] = OK, ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_policy"] = Forbidden,
            }),
            // The log of answered exports: whoever may export may read it; another school's is a 404.
            new("GET", "/v1/schools/{schoolId:guid}/subject-access/log", $"/v1/schools/{a1}/subject-access/log", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["service"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound,
                ["head"] = OK, ["head_other_school"] = NotFound, ["dsl"] = OK, ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_policy"] = Forbidden,
            }),
            new("POST", "/v1/schools/{schoolId:guid}/blocked-sites/access-requests", $"/v1/schools/{a1}/blocked-sites/access-requests", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Forbidden, ["head"] = BadRequest, ["head_other_school"] = NotFound,
                ["staff"] = BadRequest, ["dsl"] = BadRequest, ["key_policy"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"site": "", "reason": "x", "intendedUse": "x", "allowedFrom": "2026-01-01T09:00:00Z", "allowedUntil": "2026-01-02T09:00:00Z"}"""),
            new("GET", "/v1/schools/{schoolId:guid}/blocked-sites/access-requests", $"/v1/schools/{a1}/blocked-sites/access-requests", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = OK, ["dsl"] = OK, ["key_policy"] = Forbidden,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/blocked-sites/access-requests/{requestId:guid}", $"/v1/schools/{a1}/blocked-sites/access-requests/{Guid.NewGuid()}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = NotFound, ["admin_other_trust"] = NotFound, ["head"] = NotFound,
                ["head_other_school"] = NotFound, ["staff"] = NotFound, ["key_policy"] = Forbidden,
            }),
            // An invalid body (no reason): the roles a trust may name as approver meet the validator's 400, others their 403/404.
            new("POST", "/v1/schools/{schoolId:guid}/blocked-sites/access-requests/{requestId:guid}/decision", $"/v1/schools/{a1}/blocked-sites/access-requests/{Guid.NewGuid()}/decision", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Forbidden, ["head"] = BadRequest, ["head_other_school"] = NotFound,
                ["staff"] = Forbidden, ["dsl"] = BadRequest, ["key_policy"] = Forbidden,
            }, """{"approved": true, "reason": ""}"""),
            // A valid body meets the lookup: an unknown request is a 404 for the approver roles.
            new("POST", "/v1/schools/{schoolId:guid}/blocked-sites/access-requests/{requestId:guid}/decision", $"/v1/schools/{a1}/blocked-sites/access-requests/{Guid.NewGuid()}/decision", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["head"] = NotFound, ["dsl"] = NotFound, ["head_other_school"] = NotFound,
            }, """{"approved": true, "reason": "Supervised lesson"}"""),
            new("GET", "/v1/policy/reviews", "/v1/policy/reviews", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_policy"] = OK,
            }),
            // A member's own notification choice: the development tokens of the matrix name nobody in the directory (404); keys are refused.
            new("GET", "/v1/me/notifications", "/v1/me/notifications", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = NotFound, ["head"] = NotFound, ["staff"] = NotFound, ["dsl"] = NotFound,
                ["key_policy"] = Forbidden,
            }),
            new("PUT", "/v1/me/notifications", "/v1/me/notifications", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = NotFound, ["head"] = NotFound, ["staff"] = NotFound, ["dsl"] = NotFound,
                ["key_write"] = Forbidden,
            }, """{"delivery": "daily_digest"}"""),
            // Members: the trust's admins and the headteachers invite; a headteacher sees those appointed at their school.
            new("POST", "/v1/members", "/v1/members", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = BadRequest, ["head_other_school"] = BadRequest,
                ["staff"] = Forbidden, ["dsl"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"displayName": "", "email": "x"}"""),
            new("GET", "/v1/members", "/v1/members", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK, ["staff"] = Forbidden,
                ["dsl"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/members/{memberId:guid}", $"/v1/members/{memberId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = Forbidden, ["dsl"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("PUT", "/v1/members/{memberId:guid}", $"/v1/members/{memberId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = BadRequest, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"displayName": "", "email": "x"}"""),
            // A valid body (the matrix sends If-Match: *): those who may change the member do, the others meet the 404.
            new("PUT", "/v1/members/{memberId:guid}", $"/v1/members/{memberId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["admin"] = OK, ["head"] = OK, ["admin_other_trust"] = NotFound, ["head_other_school"] = NotFound,
            }, """{"displayName": "Matrix member", "email": "matrix.member@a.example"}"""),
            new("POST", "/v1/schools/{schoolId:guid}/appointments", $"/v1/schools/{a1}/appointments", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = BadRequest, ["head_other_school"] = NotFound,
                ["staff"] = Forbidden, ["dsl"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"memberId": "00000000-0000-0000-0000-000000000000", "role": "captain", "startsOn": "2025-09-01"}"""),
            new("POST", "/v1/schools/{schoolId:guid}/appointments", $"/v1/schools/{a1}/appointments", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized, ["admin_other_trust"] = NotFound,
            }, $$"""{"memberId": "{{memberId}}", "role": "staff", "startsOn": "2025-09-01"}"""),
            new("GET", "/v1/schools/{schoolId:guid}/appointments", $"/v1/schools/{a1}/appointments", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["staff"] = OK, ["dsl"] = OK, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}", $"/v1/schools/{a1}/appointments/{appointmentId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK, ["head_other_school"] = NotFound,
                ["staff"] = OK, ["key_read"] = Forbidden,
            }),
            new("PUT", "/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}", $"/v1/schools/{a1}/appointments/{appointmentId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["head"] = BadRequest, ["head_other_school"] = NotFound, ["staff"] = Forbidden,
                ["dsl"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"startsOn": "1990-01-01"}"""),
            new("PUT", "/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}", $"/v1/schools/{a1}/appointments/{appointmentId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["admin"] = OK, ["head"] = OK, ["admin_other_trust"] = NotFound,
            }, """{"startsOn": "2025-09-01"}"""),
            new("DELETE", "/v1/schools/{schoolId:guid}/appointments/{appointmentId:guid}", $"/v1/schools/{a1}/appointments/{appointmentId}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin_other_trust"] = NotFound, ["head_other_school"] = NotFound, ["staff"] = Forbidden, ["dsl"] = Forbidden,
                ["key_write"] = Forbidden, ["admin"] = OK, ["head"] = Conflict,
            }),
            new("POST", "/v1/trust-appointments", "/v1/trust-appointments", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["admin_other_trust"] = BadRequest, ["head"] = Forbidden,
                ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"memberId": "00000000-0000-0000-0000-000000000000", "startsOn": "2025-09-01"}"""),
            new("GET", "/v1/trust-appointments", "/v1/trust-appointments", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["head"] = OK, ["staff"] = Forbidden, ["dsl"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("DELETE", "/v1/trust-appointments/{appointmentId:guid}", $"/v1/trust-appointments/{Guid.NewGuid()}", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["admin_other_trust"] = NotFound, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }),
            new("GET", "/v1/people/changes", "/v1/people/changes", new Dictionary<string, HttpStatusCode>
            {
                [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = Forbidden, ["head"] = Forbidden, ["key_read"] = Forbidden, ["service"] = OK,
            }),
            new("GET", "/health/live", "/health/live", Open(OK)),
            new("GET", "/health/ready", "/health/ready", Open(OK)),
            new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", Open(OK)),
            new("POST", "/dev/tokens", "/dev/tokens", Open(BadRequest), """{"subject": "x", "name": "x", "roles": ["nope"]}"""),
        ];
    }

    private static Dictionary<string, HttpStatusCode> Open(HttpStatusCode status) => new()
    {
        ["anonymous"] = status, [MatrixCallers.RestrictedKey] = status, [MatrixCallers.RoleWithoutSchool] = status,
    };

    [Fact]
    public void The_matrix_covers_every_mapped_endpoint()
    {
        AuthorizationMatrix.ShouldCoverEveryEndpoint(fixture.Policy.Services, Rows(Guid.Empty));
    }

    [Fact]
    public async Task Every_caller_gets_the_expected_status_on_every_endpoint()
    {
        var (callers, keyId, memberId, appointmentId) = await CallersAsync();
        await AuthorizationMatrix.ShouldHoldAsync(Rows(keyId, memberId, appointmentId), callers);
    }
}
