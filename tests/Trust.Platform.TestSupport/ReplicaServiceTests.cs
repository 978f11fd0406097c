using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Hosting.Http;
using Xunit;
using FluentAssertions;
using static System.Net.HttpStatusCode;

namespace Trust.Platform.TestSupport;

/// <summary>One service that keeps a replica of Policy's directory, on real servers, fed by events published on its own bus.</summary>
public sealed class ReplicaServiceHost<TEntry> : IAsyncLifetime
    where TEntry : class
{
    public TestServers Servers { get; private set; } = null!;

    public ServiceFactory<TEntry> Service { get; private set; } = null!;

    public Guid Trust { get; } = Guid.CreateVersion7();

    public Guid OtherTrust { get; } = Guid.CreateVersion7();

    public Guid School { get; } = Guid.CreateVersion7();

    public Guid OtherSchool { get; } = Guid.CreateVersion7();

    public string ReadKey { get; private set; } = "";

    public string NoScopeKey { get; private set; } = "";

    /// <summary>A key holding every scope, restricted to <see cref="OtherSchool"/>.</summary>
    public string RestrictedKey { get; private set; } = "";

    /// <summary>The service's schema (its inbox and key replica live there).</summary>
    public string Schema => Service.Services.GetRequiredService<Trust.Platform.Hosting.PlatformServiceInfo>().Schema;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync(typeof(TEntry).Name.Replace("Service", "", StringComparison.Ordinal).ToLowerInvariant());
        // An unknown key stays unknown for ten minutes unless its ApiKeyIssued arrives: every key these tests
        // use right after publishing its event proves that the event, not the cache's expiry, lets it in.
        Service = new ServiceFactory<TEntry>(Servers, new Dictionary<string, string?> { ["ApiKeys:UnknownCacheFor"] = "00:10:00" });
        _ = Service.Server;
        var schools = new[] { await AddSchoolAsync(Trust, School, "Own School", 1), await AddSchoolAsync(Trust, OtherSchool, "Other School", 1) };
        var read = await IssueKeyEventAsync(Trust, [Scopes.DirectoryRead]);
        NoScopeKey = await IssueKeyAsync(Trust, [Scopes.RosterWrite]);
        var restricted = await IssueKeyEventAsync(Trust, [.. Scopes.All], [OtherSchool]);
        (ReadKey, RestrictedKey) = (read.Key, restricted.Key);
        foreach (var (key, issued) in new[] { read, restricted })
        {
            using var client = Service.ClientWithKey(key);
            // Up to a minute, as for the consumers' binding (ServiceFactory): a suite starts a host per test class at once on a
            // two-core machine. A failure says where the event got to: in CI (session 14) it said "claimed, row present", which
            // found the key cache's race (CacheGenerationTests). What this proves holds either way: an unknown key is remembered for
            // ten minutes, so only the event can let it in within one.
            try
            {
                await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == OK, TimeSpan.FromMinutes(1),
                    because: "the replicated key authenticates");
            }
            catch (TimeoutException timeout)
            {
                throw new TimeoutException($"{timeout.Message} {await ReplicationOfAsync(issued)}", timeout);
            }
        }

        // Both schools are in the directory replica before any test runs: their SchoolAdded travels on its own queue, so the
        // keys arriving first proves nothing about them (a report filed at once was a 404 when the school came later).
        foreach (var added in schools)
        {
            await WaitForInboxAsync(added);
        }
    }

    /// <summary>Publishes as the harness, in the role of the service that owns the event (<see cref="TestServers.PublishAsync"/>).</summary>
    public Task PublishAsync<T>(T message)
        where T : class => Servers.PublishAsync(message);

    /// <summary>Publishes SchoolAdded for <paramref name="school"/>; returns its event id (for <see cref="WaitForInboxAsync"/>).</summary>
    public async Task<Guid> AddSchoolAsync(Guid trust, Guid school, string name, int version)
    {
        var added = new SchoolAdded(Guid.CreateVersion7(), trust, school, TestClock.Now, name, "123456", "primary", null, "Europe/London", version);
        await PublishAsync(added);
        return added.EventId;
    }

    public async Task<string> IssueKeyAsync(Guid trust, string[] scopes, Guid[]? schools = null) =>
        (await IssueKeyEventAsync(trust, scopes, schools)).Key;

    /// <summary>Publishes ApiKeyIssued for a new key; returns the key and the event (to replay it or revoke the key).</summary>
    public async Task<(string Key, ApiKeyIssued Issued)> IssueKeyEventAsync(Guid trust, string[] scopes, Guid[]? schools = null)
    {
        var (key, issued) = NewKey(trust, scopes, schools);
        await PublishAsync(issued);
        return (key, issued);
    }

    /// <summary>A key and its ApiKeyIssued, not published.</summary>
    public static (string Key, ApiKeyIssued Issued) NewKey(Guid trust, string[] scopes, Guid[]? schools = null, DateTimeOffset? expiresAt = null)
    {
        var (key, prefix, hash) = ApiKeySecret.Generate();
        return (key, new ApiKeyIssued(Guid.CreateVersion7(), trust, TestClock.Now, Guid.CreateVersion7(), "test", prefix, hash, scopes, schools ?? [], 6000, expiresAt));
    }

    /// <summary>Where a key's ApiKeyIssued got to in this service, for a failure message: applied (inbox and row) or not.</summary>
    private async Task<string> ReplicationOfAsync(ApiKeyIssued issued)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        // The key table is a tenant table (row security forced, for its owner too): read it as the key's trust.
        await using (var tenant = new Npgsql.NpgsqlCommand("SELECT set_config($1, $2, false)", connection))
        {
            tenant.Parameters.Add(new Npgsql.NpgsqlParameter { Value = global::Trust.Platform.Data.Tenancy.TenantSession.SettingName });
            tenant.Parameters.Add(new Npgsql.NpgsqlParameter { Value = issued.TrustId.ToString() });
            await tenant.ExecuteNonQueryAsync();
        }

        await using var command = new Npgsql.NpgsqlCommand(
            $"SELECT (SELECT count(*) FROM {Schema}.inbox_messages WHERE message_id = $1), (SELECT count(*) FROM {Schema}.api_keys WHERE id = $2)", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = issued.EventId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = issued.KeyId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"(its ApiKeyIssued {(reader.GetInt64(0) == 1 ? "was" : "was not")} claimed in the inbox; the replica {(reader.GetInt64(1) == 1 ? "has" : "has no")} row for the key)";
    }

    /// <summary>Waits until the service's inbox holds the event (claimed and applied in one transaction).</summary>
    public async Task WaitForInboxAsync(Guid eventId)
    {
        await Eventually.Until(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(Servers.Database.OwnerConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {Schema}.inbox_messages WHERE message_id = $1", connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = eventId });
            return (long)(await command.ExecuteScalarAsync())!;
        }, n => n == 1, because: "the event is consumed");
    }

    public async Task<Page<SchoolDirectory.DirectorySchoolResponse>> SchoolsAsync(DevUser user)
    {
        using var client = Service.ClientFor(user);
        return (await client.GetFromJsonAsync<Page<SchoolDirectory.DirectorySchoolResponse>>("/v1/schools"))!;
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

/// <summary>
/// What every directory-replica service must do, whatever else it grows: be healthy, keep its
/// replica idempotently, authenticate replicated keys, authorise every endpoint, and keep its API
/// reference in step with <c>openapi/{service}.json</c>. Each service's test project derives one class.
/// </summary>
public abstract class ReplicaServiceTests<TEntry>(ReplicaServiceHost<TEntry> host, string serviceName)
    where TEntry : class
{
    protected ReplicaServiceHost<TEntry> Host { get; } = host;

    protected DevUser Admin => new("admin", "Admin", Host.Trust, [Roles.TrustAdmin]);

    protected virtual IEnumerable<MatrixRow> ServiceRows() => [];

    private IReadOnlyList<MatrixRow> Rows() =>
    [
        new("GET", "/v1/schools", "/v1/schools", new Dictionary<string, HttpStatusCode>
        {
            ["anonymous"] = Unauthorized, ["operator"] = Forbidden, ["admin"] = OK, ["admin_other_trust"] = OK, ["head"] = OK, ["staff"] = OK,
            ["key_read"] = OK, ["key_no_scope"] = Forbidden, [MatrixCallers.RestrictedKey] = OK, [MatrixCallers.RoleWithoutSchool] = Unauthorized,
        }),
        new("GET", "/health/live", "/health/live", Open(OK)),
        new("GET", "/health/ready", "/health/ready", Open(OK)),
        new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", Open(OK)),
        new("POST", "/dev/tokens", "/dev/tokens", Open(BadRequest), """{"subject": "x", "name": "x", "roles": ["nope"]}"""),
        .. ServiceRows(),
    ];

    /// <summary>An anonymous endpoint: whatever the caller presents, the same answer.</summary>
    protected static Dictionary<string, HttpStatusCode> Open(HttpStatusCode status) => new()
    {
        ["anonymous"] = status, [MatrixCallers.RestrictedKey] = status, [MatrixCallers.RoleWithoutSchool] = status,
    };

    /// <summary>The named callers of the matrix; a service adds its own (dsl, chair, another school's staff...) by overriding and extending.</summary>
    protected virtual Dictionary<string, Func<HttpClient>> Callers() => new()
    {
        ["anonymous"] = () => Host.Service.ClientFor(null),
        ["operator"] = () => Host.Service.ClientFor(new DevUser("op", "Operator", null, [Roles.PlatformOperator])),
        ["admin"] = () => Host.Service.ClientFor(Admin),
        ["admin_other_trust"] = () => Host.Service.ClientFor(new DevUser("admin2", "Admin", Host.OtherTrust, [Roles.TrustAdmin])),
        ["head"] = () => Host.Service.ClientFor(new DevUser("head", "Head", Host.Trust, [$"{Roles.Headteacher}:{Host.School}"])),
        ["staff"] = () => Host.Service.ClientFor(new DevUser("staff", "Staff", Host.Trust, [$"{Roles.Staff}:{Host.School}"])),
        ["key_read"] = () => Host.Service.ClientWithKey(Host.ReadKey),
        ["key_no_scope"] = () => Host.Service.ClientWithKey(Host.NoScopeKey),
        ["head_other_school"] = () => Host.Service.ClientFor(new DevUser("head2", "Head", Host.Trust, [$"{Roles.Headteacher}:{Host.OtherSchool}"])),
        ["dsl"] = () => Host.Service.ClientFor(new DevUser("dsl", "DSL", Host.Trust, [$"{Roles.Dsl}:{Host.School}"])),
        ["chair"] = () => Host.Service.ClientFor(new DevUser("chair", "Chair", Host.Trust, [Roles.Chair])),
        [MatrixCallers.RestrictedKey] = () => Host.Service.ClientWithKey(Host.RestrictedKey),
        [MatrixCallers.RoleWithoutSchool] = () => Host.Service.ClientWithToken(TestTokens.Sign(Host.Service, TestTokens.User(Host.Trust, TestTokens.SchoolRolesWithoutSchool))),
    };

    [Fact]
    public async Task It_is_live_and_ready_with_its_database_and_broker()
    {
        using var client = Host.Service.ClientFor(null);
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(OK);
        var body = await ready.Content.ReadAsStringAsync();
        body.Should().Contain("postgres").And.Contain("masstransit", because: "readiness covers PostgreSQL and RabbitMQ");
    }

    [Fact]
    public async Task Its_directory_shows_a_headteacher_only_their_school_and_another_trust_nothing()
    {
        (await Host.SchoolsAsync(new DevUser("head", "Head", Host.Trust, [$"{Roles.Headteacher}:{Host.School}"]))).Items.Select(s => s.Id).Should().Equal(Host.School);
        (await Host.SchoolsAsync(new DevUser("admin2", "Admin", Host.OtherTrust, [Roles.TrustAdmin]))).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task A_replayed_or_older_school_event_has_no_second_effect()
    {
        var school = Guid.CreateVersion7();
        var added = new SchoolAdded(Guid.CreateVersion7(), Host.Trust, school, TestClock.Now, "First name", "654321", "primary", null, "Europe/London", 1);
        await Host.PublishAsync(added);
        var renamed = new SchoolUpdated(Guid.CreateVersion7(), Host.Trust, school, TestClock.Now, "Second name", "654321", "primary", null, "Europe/London", 2);
        await Host.PublishAsync(renamed);
        await Eventually.Until(async () => (await Host.SchoolsAsync(Admin)).Items.SingleOrDefault(s => s.Id == school)?.Name, n => n == "Second name");

        // The same SchoolAdded again (a redelivery) and a late, older update must not undo the rename.
        await Host.PublishAsync(added);
        await Host.PublishAsync(renamed with { EventId = Guid.CreateVersion7(), Name = "Stale name", Version = 1 });
        var marker = Guid.CreateVersion7();
        await Host.AddSchoolAsync(Host.Trust, marker, "Marker", 1);
        await Eventually.Until(async () => (await Host.SchoolsAsync(Admin)).Items.Any(s => s.Id == marker), found => found);
        (await Host.SchoolsAsync(Admin)).Items.Single(s => s.Id == school).Name.Should().Be("Second name");
    }

    [Fact]
    public async Task A_revocation_that_arrives_before_the_keys_issue_leaves_the_key_refused()
    {
        var (key, issued) = ReplicaServiceHost<TEntry>.NewKey(Host.Trust, [Scopes.DirectoryRead]);
        var revoked = new ApiKeyRevoked(Guid.CreateVersion7(), Host.Trust, TestClock.Now, issued.KeyId, TestClock.Now);
        await Host.PublishAsync(revoked);
        await Host.WaitForInboxAsync(revoked.EventId);
        await Host.PublishAsync(issued);
        await Host.WaitForInboxAsync(issued.EventId);

        using var client = Host.Service.ClientWithKey(key);
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(Unauthorized, "the revocation is a tombstone that the later issue cannot undo");
    }

    [Fact]
    public async Task A_replayed_issue_never_brings_a_revoked_key_back()
    {
        var (key, issued) = await Host.IssueKeyEventAsync(Host.Trust, [Scopes.DirectoryRead]);
        using var client = Host.Service.ClientWithKey(key);
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == OK, because: "the key is issued");
        await Host.PublishAsync(new ApiKeyRevoked(Guid.CreateVersion7(), Host.Trust, TestClock.Now, issued.KeyId, TestClock.Now));
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == Unauthorized, TimeSpan.FromSeconds(5), "the revocation bites within 5 s");

        // The same event redelivered, and a re-sent copy under a new event id (a replayed outbox row).
        await Host.PublishAsync(issued);
        var replay = issued with { EventId = Guid.CreateVersion7() };
        await Host.PublishAsync(replay);
        await Host.WaitForInboxAsync(replay.EventId);
        (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(Unauthorized);
    }

    [Fact]
    public async Task A_replicated_key_stops_working_when_it_expires()
    {
        var expiresAt = TestClock.Now.AddSeconds(3);
        var (key, issued) = ReplicaServiceHost<TEntry>.NewKey(Host.Trust, [Scopes.DirectoryRead], expiresAt: expiresAt);
        await Host.PublishAsync(issued);
        using var client = Host.Service.ClientWithKey(key);
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == OK, because: "the key is issued");
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == Unauthorized, TimeSpan.FromSeconds(10), "the key expires");
        TestClock.Now.Should().BeOnOrAfter(expiresAt);
    }

    [Fact]
    public async Task An_unknown_key_is_looked_up_once_and_works_as_soon_as_its_issue_arrives()
    {
        var (key, issued) = ReplicaServiceHost<TEntry>.NewKey(Host.Trust, [Scopes.DirectoryRead]);
        using var client = Host.Service.ClientWithKey(key);
        using (var lookups = new KeyLookupCounter(Host.Servers.Database.Name))
        {
            for (var i = 0; i < 5; i++)
            {
                (await client.GetAsync("/v1/schools")).StatusCode.Should().Be(Unauthorized);
            }

            lookups.Count.Should().Be(1, "an unknown prefix is remembered as unknown, not looked up on every request");
        }

        // The host remembers unknown keys for ten minutes: only the event can let this one in so soon.
        await Host.PublishAsync(issued);
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == OK, TimeSpan.FromSeconds(5),
            "ApiKeyIssued clears the unknown mark");
    }

    [Fact]
    public async Task Every_table_with_a_trust_id_column_has_row_security_enabled_and_forced()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT n.nspname || '.' || c.relname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'trust_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
            """, connection);
        var unprotected = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            unprotected.Add(reader.GetString(0));
        }

        unprotected.Should().BeEmpty("every tenant table needs ENABLE and FORCE row level security and a policy");
    }

    [Fact]
    public async Task The_app_role_owns_nothing_in_the_services_schema()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Host.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) + (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid)
                 + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid)
            FROM pg_roles r WHERE r.rolname = $1 AND NOT r.rolsuper AND NOT r.rolbypassrls
            """, connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = TestEnvironment.AppRole });
        ((long?)await command.ExecuteScalarAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Every_response_tells_browsers_not_to_sniff_its_content_type()
    {
        using var admin = Host.Service.ClientFor(Admin);
        using var anonymous = Host.Service.ClientFor(null);
        foreach (var response in new[] { await admin.GetAsync("/v1/schools"), await admin.GetAsync($"/v1/schools/{Guid.CreateVersion7()}"), await anonymous.GetAsync("/v1/schools"), await anonymous.GetAsync("/health/live") })
        {
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], $"{response.RequestMessage!.RequestUri} answered {response.StatusCode}");
        }
    }

    [Fact]
    public void The_matrix_covers_every_mapped_endpoint() =>
        AuthorizationMatrix.ShouldCoverEveryEndpoint(Host.Service.Services, Rows());

    [Fact]
    public Task Every_caller_gets_the_expected_status_on_every_endpoint() =>
        AuthorizationMatrix.ShouldHoldAsync(Rows(), Callers());

    [Fact]
    public async Task The_generated_api_reference_matches_the_committed_one()
    {
        using var client = Host.Service.ClientFor(null);
        await OpenApiGolden.ShouldMatchAsync(client, serviceName);
    }
}
