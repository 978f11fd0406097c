using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static System.Net.HttpStatusCode;

namespace Trust.Platform.Accounts.Tests;

public sealed class AccountsServiceTests(ReplicaServiceHost<AccountsService> host)
    : ReplicaServiceTests<AccountsService>(host, "accounts"), IClassFixture<ReplicaServiceHost<AccountsService>>, IAsyncLifetime
{
    /// <summary>What the matrix acts on: an approved account and a pending application of the host's own school.</summary>
    private sealed record Seed(Guid Account, Guid Approved, Guid Pending, DevUser Applicant, string AccountsKey, Guid Post);

    private static readonly ConcurrentDictionary<ReplicaServiceHost<AccountsService>, Task<Seed>> Seeds = new();

    private Seed _seed = null!;

    public async Task InitializeAsync() => _seed = await Seeds.GetOrAdd(Host, SeedAsync);

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<Seed> SeedAsync(ReplicaServiceHost<AccountsService> host)
    {
        var world = new AccountsWorld(host);
        var (approved, account, administrators, _) = await world.ApprovedAccountAsync(host.School, "OwnSchoolNews");
        var applicant = world.Staff(host.School, administrators[0]);
        using var client = world.Client(applicant);
        var pending = (await world.ApplyAsync(client, AccountsWorld.Application(host.School, administrators, "OwnSchoolSport")))["id"]!.GetValue<Guid>();
        var submitted = await client.PostAsJsonAsync($"/v1/accounts/{account}/posts",
            new { text = "Sports day is on Friday.", category = "events", publishAt = TestClock.Now.AddDays(30) });
        await Http.EnsureSuccessAsync(submitted);
        var post = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var key = await host.IssueKeyAsync(host.Trust, [Scopes.AccountsRead]);
        using var keyClient = host.Service.ClientWithKey(key);
        await Eventually.Until(async () => (await keyClient.GetAsync("/v1/accounts")).StatusCode, s => s == OK, because: "the replicated key authenticates");
        return new Seed(account, approved, pending, applicant, key, post);
    }

    protected override Dictionary<string, Func<HttpClient>> Callers()
    {
        var callers = base.Callers();
        callers["mo"] = () => Host.Service.ClientFor(new DevUser("mo", "MO", Host.Trust, [$"{Roles.MarketingOfficer}:{Host.School}"]));
        callers["mo_other_school"] = () => Host.Service.ClientFor(new DevUser("mo2", "MO", Host.Trust, [$"{Roles.MarketingOfficer}:{Host.OtherSchool}"]));
        callers["applicant"] = () => Host.Service.ClientFor(_seed.Applicant);
        callers["key_accounts"] = () => Host.Service.ClientWithKey(_seed.AccountsKey);
        return callers;
    }

    private static Dictionary<string, HttpStatusCode> Expect(HttpStatusCode managers, HttpStatusCode otherSchool, params (string Caller, HttpStatusCode Status)[] more)
    {
        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["key_no_scope"] = Forbidden, ["dsl"] = Forbidden,
            ["admin"] = managers, ["head"] = managers, ["mo"] = managers,
            ["admin_other_trust"] = NotFound, ["head_other_school"] = otherSchool, ["mo_other_school"] = otherSchool,
            [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        };
        foreach (var (caller, status) in more)
        {
            expected[caller] = status;
        }

        return expected;
    }

    /// <summary>
    /// A body is validated before the record is looked up: these rows send a valid one so that another school's and another
    /// trust's callers still meet the 404 (and nobody else runs them: they would change the record).
    /// </summary>
    private static Dictionary<string, HttpStatusCode> OthersGetNotFound(params (string Caller, HttpStatusCode Status)[] more)
    {
        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["admin_other_trust"] = NotFound, ["head_other_school"] = NotFound, ["mo_other_school"] = NotFound,
            [MatrixCallers.RestrictedKey] = Forbidden, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        };
        foreach (var (caller, status) in more)
        {
            expected[caller] = status;
        }

        return expected;
    }

    protected override IEnumerable<MatrixRow> ServiceRows()
    {
        var s = _seed;
        const string invalidApplication = """{"platform": "", "handle": "", "administrators": []""";
        var validApplication = JsonSerializer.Serialize(AccountsWorld.Application(Host.School, [Guid.CreateVersion7(), Guid.CreateVersion7()], "MatrixOnly"), AccountsWorld.Json);
        return
        [
            new("GET", "/v1/schools/{schoolId:guid}/account-policy", $"/v1/schools/{Host.School}/account-policy",
                Expect(OK, NotFound, ("staff", OK), ("applicant", OK), ("chair", Forbidden), ("key_read", Forbidden), ("key_accounts", OK),
                    (MatrixCallers.RestrictedKey, NotFound))),
            new("GET", "/v1/schools/{schoolId:guid}/subject-access", $"/v1/schools/{Host.School}/subject-access?rosterId={s.Applicant.StaffId}",
                Expect(OK, NotFound, ("dsl", OK), ("mo", Forbidden), ("mo_other_school", Forbidden), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden),
                    ("key_read", Forbidden), ("key_accounts", Forbidden))),
            // The log of answered exports: whoever may export may read it; another school's is a 404.
            new("GET", "/v1/schools/{schoolId:guid}/subject-access/log", $"/v1/schools/{Host.School}/subject-access/log",
                Expect(OK, NotFound, ("dsl", OK), ("mo", Forbidden), ("mo_other_school", Forbidden), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden),
                    ("key_read", Forbidden), ("key_accounts", Forbidden))),
            new("POST", "/v1/applications", "/v1/applications",
                Expect(BadRequest, BadRequest, ("admin_other_trust", BadRequest), ("staff", BadRequest), ("applicant", BadRequest), ("chair", Forbidden),
                    ("key_accounts", Forbidden)),
                invalidApplication + $$""", "schoolId": "{{Host.School}}"}"""),
            new("POST", "/v1/applications", "/v1/applications", OthersGetNotFound(), validApplication),
            new("GET", "/v1/applications", "/v1/applications",
                Expect(OK, OK, ("admin_other_trust", OK), ("staff", OK), ("applicant", OK), ("chair", Forbidden), ("key_accounts", Forbidden))),
            new("GET", "/v1/applications/{id:guid}", $"/v1/applications/{s.Approved}",
                Expect(OK, NotFound, ("staff", NotFound), ("applicant", OK), ("chair", Forbidden), ("key_accounts", Forbidden))),
            // Anyone in a school may be a step's decider; the body lacks the reason a rejection needs, which the validator refuses first.
            new("POST", "/v1/applications/{id:guid}/decisions", $"/v1/applications/{s.Pending}/decisions",
                Expect(BadRequest, BadRequest, ("admin_other_trust", BadRequest), ("staff", BadRequest), ("applicant", BadRequest), ("chair", BadRequest),
                    ("dsl", BadRequest), ("key_accounts", Forbidden)),
                """{"step": "marketing_officer", "outcome": "reject"}"""),
            // Only the marketing officer may take the first step (002 Appendix C), and never the applicant; the marketing officer is left out: it would reject.
            new("POST", "/v1/applications/{id:guid}/decisions", $"/v1/applications/{s.Pending}/decisions",
                OthersGetNotFound(("admin", Forbidden), ("head", Forbidden), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden), ("dsl", Forbidden)),
                """{"step": "marketing_officer", "outcome": "reject", "reason": "Only the matrix sends this."}"""),
            new("GET", "/v1/accounts", "/v1/accounts",
                Expect(OK, OK, ("admin_other_trust", OK), ("staff", OK), ("applicant", OK), ("chair", Forbidden), ("key_accounts", OK), ("key_read", Forbidden),
                    (MatrixCallers.RestrictedKey, OK))),
            new("GET", "/v1/accounts/{id:guid}", $"/v1/accounts/{s.Account}",
                Expect(OK, NotFound, ("staff", NotFound), ("applicant", OK), ("chair", Forbidden), ("key_accounts", OK), ("key_read", Forbidden),
                    (MatrixCallers.RestrictedKey, NotFound))),
            new("POST", "/v1/accounts/{id:guid}/administrators", $"/v1/accounts/{s.Account}/administrators",
                Expect(BadRequest, BadRequest, ("admin_other_trust", BadRequest), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden),
                    ("key_accounts", Forbidden)),
                """{"staffId": "00000000-0000-0000-0000-000000000000"}"""),
            new("POST", "/v1/accounts/{id:guid}/administrators", $"/v1/accounts/{s.Account}/administrators", OthersGetNotFound(),
                $$"""{"staffId": "{{Guid.CreateVersion7()}}"}"""),
            new("POST", "/v1/accounts/{id:guid}/rotations", $"/v1/accounts/{s.Account}/rotations",
                Expect(BadRequest, BadRequest, ("admin_other_trust", BadRequest), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden),
                    ("key_accounts", Forbidden)),
                """{"rotatedOn": "2020-01-01", "vaultReference": ""}"""),
            new("POST", "/v1/accounts/{id:guid}/rotations", $"/v1/accounts/{s.Account}/rotations", OthersGetNotFound(),
                """{"rotatedOn": "2020-01-01", "vaultReference": "vault://matrix"}"""),
            new("PUT", "/v1/accounts/{id:guid}/review", $"/v1/accounts/{s.Account}/review",
                Expect(BadRequest, NotFound, ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden), ("key_accounts", Forbidden)),
                """{"reviewDate": "2000-01-01"}"""),
            new("POST", "/v1/accounts/{id:guid}/close", $"/v1/accounts/{s.Account}/close",
                Expect(BadRequest, BadRequest, ("admin_other_trust", BadRequest), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden),
                    ("key_accounts", Forbidden)),
                """{"reason": ""}"""),
            new("POST", "/v1/accounts/{id:guid}/close", $"/v1/accounts/{s.Account}/close", OthersGetNotFound(), """{"reason": "Only the matrix sends this."}"""),
            // Staff of the account's school submit posts (002 l.143); the trust's admin is on no school's staff.
            new("POST", "/v1/accounts/{id:guid}/posts", $"/v1/accounts/{s.Account}/posts",
                Expect(BadRequest, BadRequest, ("admin", Forbidden), ("admin_other_trust", Forbidden), ("staff", BadRequest), ("applicant", BadRequest),
                    ("dsl", BadRequest), ("chair", Forbidden), ("key_accounts", Forbidden)),
                """{"text": "", "category": "events", "publishAt": "2100-01-01T09:00:00Z"}"""),
            new("POST", "/v1/accounts/{id:guid}/posts", $"/v1/accounts/{s.Account}/posts", OthersGetNotFound(("admin_other_trust", Forbidden)),
                """{"text": "Only the matrix sends this.", "category": "events", "publishAt": "2100-01-01T09:00:00Z"}"""),
            new("GET", "/v1/posts", "/v1/posts",
                Expect(OK, OK, ("admin_other_trust", OK), ("staff", OK), ("applicant", OK), ("dsl", OK), ("chair", OK), ("key_accounts", OK), ("key_read", Forbidden),
                    (MatrixCallers.RestrictedKey, OK))),
            new("GET", "/v1/posts/{id:guid}", $"/v1/posts/{s.Post}",
                Expect(OK, NotFound, ("staff", NotFound), ("applicant", OK), ("dsl", NotFound), ("chair", NotFound), ("key_accounts", OK), ("key_read", Forbidden),
                    (MatrixCallers.RestrictedKey, NotFound))),
            // Anyone in the school may be named by who_may_post; a rejection without a reason is refused by the validator first.
            new("POST", "/v1/posts/{id:guid}/decision", $"/v1/posts/{s.Post}/decision",
                Expect(BadRequest, BadRequest, ("admin_other_trust", BadRequest), ("staff", BadRequest), ("applicant", BadRequest), ("dsl", BadRequest),
                    ("chair", BadRequest), ("key_accounts", Forbidden)),
                """{"outcome": "reject"}"""),
            // Only the marketing officer (the catalogue's who_may_post) decides, never the submitter; the marketing officer is left out: it would reject.
            new("POST", "/v1/posts/{id:guid}/decision", $"/v1/posts/{s.Post}/decision",
                OthersGetNotFound(("admin", Forbidden), ("head", Forbidden), ("staff", Forbidden), ("applicant", Forbidden), ("chair", Forbidden), ("dsl", Forbidden)),
                """{"outcome": "reject", "reason": "Only the matrix sends this."}"""),
        ];
    }

    [Fact]
    public async Task Another_schools_headteacher_gets_404_for_the_account_and_an_empty_register()
    {
        using var other = Host.Service.ClientFor(new DevUser("head2", "Head", Host.Trust, [$"{Roles.Headteacher}:{Host.OtherSchool}"]));

        (await other.GetAsync($"/v1/accounts/{_seed.Account}")).StatusCode.Should().Be(NotFound);
        var page = await other.GetFromJsonAsync<JsonObject>("/v1/accounts");
        page!["items"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task The_register_filters_by_school_status_and_platform_and_pages_with_a_cursor()
    {
        using var admin = Host.Service.ClientFor(Admin);

        async Task<int> Count(string query) => (await admin.GetFromJsonAsync<JsonObject>("/v1/accounts" + query))!["items"]!.AsArray().Count;

        (await Count($"?schoolId={Host.School}&status=live&platform=instagram")).Should().BeGreaterThan(0);
        (await Count($"?schoolId={Host.OtherSchool}")).Should().Be(0);
        (await Count("?platform=tiktok")).Should().Be(0);
        (await admin.GetAsync("/v1/accounts?status=dormant")).StatusCode.Should().Be(BadRequest);
        var first = (await admin.GetFromJsonAsync<JsonObject>("/v1/applications?limit=1"))!;
        first["items"]!.AsArray().Should().HaveCount(1);
        var next = first["nextCursor"]!.GetValue<string>();
        var second = (await admin.GetFromJsonAsync<JsonObject>($"/v1/applications?limit=1&cursor={next}"))!;
        second["items"]![0]!["id"]!.GetValue<Guid>().Should().NotBe(first["items"]![0]!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Staff_see_only_their_own_applications()
    {
        using var applicant = Host.Service.ClientFor(_seed.Applicant);
        using var colleague = Host.Service.ClientFor(new DevUser("colleague", "Colleague", Host.Trust, [$"{Roles.Staff}:{Host.School}"], Guid.CreateVersion7()));

        (await applicant.GetFromJsonAsync<JsonObject>("/v1/applications"))!["items"]!.AsArray().Select(a => a!["id"]!.GetValue<Guid>())
            .Should().Contain([_seed.Approved, _seed.Pending]);
        (await colleague.GetFromJsonAsync<JsonObject>("/v1/applications"))!["items"]!.AsArray().Should().BeEmpty();
    }
}
