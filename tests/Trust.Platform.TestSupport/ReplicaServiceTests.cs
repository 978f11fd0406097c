using System.Net;
using System.Net.Http.Json;
using MassTransit;
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

    public async Task InitializeAsync()
    {
        Servers = await TestServers.CreateAsync(typeof(TEntry).Name.Replace("Service", "", StringComparison.Ordinal).ToLowerInvariant());
        Service = new ServiceFactory<TEntry>(Servers);
        _ = Service.Server;
        await AddSchoolAsync(Trust, School, "Own School", 1);
        await AddSchoolAsync(Trust, OtherSchool, "Other School", 1);
        ReadKey = await IssueKeyAsync(Trust, [Scopes.DirectoryRead]);
        NoScopeKey = await IssueKeyAsync(Trust, [Scopes.RosterWrite]);
        using var client = Service.ClientWithKey(ReadKey);
        await Eventually.Until(async () => (await client.GetAsync("/v1/schools")).StatusCode, s => s == OK, because: "the replicated key authenticates");
    }

    public Task PublishAsync<T>(T message)
        where T : class => Service.Services.GetRequiredService<IBus>().Publish(message);

    public async Task AddSchoolAsync(Guid trust, Guid school, string name, int version)
    {
        await PublishAsync(new SchoolAdded(Guid.CreateVersion7(), trust, school, TestClock.Now, name, "123456", "primary", null, "Europe/London", version));
    }

    public async Task<string> IssueKeyAsync(Guid trust, string[] scopes)
    {
        var (key, prefix, hash) = ApiKeySecret.Generate();
        await PublishAsync(new ApiKeyIssued(Guid.CreateVersion7(), trust, TestClock.Now, Guid.CreateVersion7(), "test", prefix, hash, scopes, [], 6000));
        return key;
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
            ["key_read"] = OK, ["key_no_scope"] = Forbidden,
        }),
        new("GET", "/health/live", "/health/live", new Dictionary<string, HttpStatusCode> { ["anonymous"] = OK }),
        new("GET", "/health/ready", "/health/ready", new Dictionary<string, HttpStatusCode> { ["anonymous"] = OK }),
        new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", new Dictionary<string, HttpStatusCode> { ["anonymous"] = OK }),
        new("POST", "/dev/tokens", "/dev/tokens", new Dictionary<string, HttpStatusCode> { ["anonymous"] = BadRequest },
            """{"subject": "x", "name": "x", "roles": ["nope"]}"""),
        .. ServiceRows(),
    ];

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
