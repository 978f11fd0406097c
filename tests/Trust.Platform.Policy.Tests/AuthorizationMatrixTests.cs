using System.Net;
using System.Net.Http.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Features.ApiKeys.Create;
using Trust.Platform.TestSupport;
using static System.Net.HttpStatusCode;

namespace Trust.Platform.Policy.Tests;

/// <summary>Every endpoint x caller -> expected status, executed. Unauthorised bodies are invalid on purpose: an allowed caller gets 400, a refused one 401/403/404.</summary>
[Collection(PolicyCollection.Name)]
public sealed class AuthorizationMatrixTests(PolicyFixture fixture)
{
    private const string InvalidSchool = """{"name": "", "urn": "1", "phase": "primary"}""";

    private async Task<(IReadOnlyDictionary<string, Func<HttpClient>> Callers, Guid KeyId)> CallersAsync()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        async Task<CreateApiKey.Response> Issue(string[] scopes, Guid[]? schools = null)
        {
            var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "matrix", scopes, schoolIds = schools });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<CreateApiKey.Response>())!;
        }

        var keyRead = await Issue([Scopes.DirectoryRead]);
        var keyWrite = await Issue([Scopes.DirectoryWrite, Scopes.DirectoryRead]);
        var keyNone = await Issue([Scopes.RosterWrite]);
        var keyOtherSchool = await Issue([Scopes.DirectoryRead], [fixture.SchoolA2]);
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
        };
        return (callers, keyRead.Key.Id);
    }

    private IReadOnlyList<MatrixRow> Rows(Guid keyId)
    {
        var a1 = fixture.SchoolA1;
        return
        [
            new("POST", "/v1/trusts", "/v1/trusts", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = BadRequest, ["admin"] = Forbidden, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"name": "", "firstAdmin": {"displayName": "", "email": "x"}}"""),
            new("GET", "/v1/trusts/{trustId:guid}", $"/v1/trusts/{fixture.TrustA}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = OK, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = Forbidden,
                ["staff"] = Forbidden, ["key_read"] = OK, ["key_no_scope"] = Forbidden,
            }),
            new("POST", "/v1/schools", "/v1/schools", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = Forbidden, ["dsl"] = Forbidden,
                ["staff"] = Forbidden, ["key_read"] = Forbidden, ["key_write"] = BadRequest, ["key_no_scope"] = Forbidden,
            }, InvalidSchool),
            new("GET", "/v1/schools", "/v1/schools", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK, ["staff"] = OK,
                ["dsl"] = OK, ["key_read"] = OK, ["key_no_scope"] = Forbidden, ["key_other_school"] = OK,
            }),
            new("GET", "/v1/schools/{schoolId:guid}", $"/v1/schools/{a1}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = OK,
                ["head_other_school"] = NotFound, ["staff"] = OK, ["dsl"] = OK, ["key_read"] = OK, ["key_no_scope"] = Forbidden, ["key_other_school"] = NotFound,
            }),
            new("PUT", "/v1/schools/{schoolId:guid}", $"/v1/schools/{a1}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["admin"] = BadRequest, ["admin_other_trust"] = NotFound, ["head"] = Forbidden, ["staff"] = Forbidden,
                ["key_read"] = Forbidden, ["key_write"] = BadRequest, ["key_other_school"] = Forbidden,
            }, InvalidSchool),
            new("POST", "/v1/api-keys", "/v1/api-keys", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = BadRequest, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }, """{"name": "", "scopes": []}"""),
            new("GET", "/v1/api-keys", "/v1/api-keys", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("GET", "/v1/api-keys/{keyId:guid}", $"/v1/api-keys/{keyId}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["admin"] = OK, ["admin_other_trust"] = NotFound, ["head"] = Forbidden, ["key_read"] = Forbidden,
            }),
            new("DELETE", "/v1/api-keys/{keyId:guid}", $"/v1/api-keys/{Guid.NewGuid()}", new Dictionary<string, HttpStatusCode>
            {
                ["anonymous"] = Unauthorized, ["admin"] = NotFound, ["head"] = Forbidden, ["staff"] = Forbidden, ["key_write"] = Forbidden,
            }),
            new("GET", "/health/live", "/health/live", new Dictionary<string, HttpStatusCode> { ["anonymous"] = OK }),
            new("GET", "/health/ready", "/health/ready", new Dictionary<string, HttpStatusCode> { ["anonymous"] = OK }),
            new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", new Dictionary<string, HttpStatusCode> { ["anonymous"] = OK }),
            new("POST", "/dev/tokens", "/dev/tokens", new Dictionary<string, HttpStatusCode> { ["anonymous"] = BadRequest },
                """{"subject": "x", "name": "x", "roles": ["nope"]}"""),
        ];
    }

    [Fact]
    public void The_matrix_covers_every_mapped_endpoint()
    {
        AuthorizationMatrix.ShouldCoverEveryEndpoint(fixture.Policy.Services, Rows(Guid.Empty));
    }

    [Fact]
    public async Task Every_caller_gets_the_expected_status_on_every_endpoint()
    {
        var (callers, keyId) = await CallersAsync();
        await AuthorizationMatrix.ShouldHoldAsync(Rows(keyId), callers);
    }
}
