using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>Routing, restricted visibility, audit and the reporter's view, on real PostgreSQL and RabbitMQ.</summary>
public sealed class CaseTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private static readonly string AboutTheHeadteacher = JsonSerializer.Serialize(new
    {
        type = "staff_conduct_concern",
        summary = "The headteacher's personal account follows current pupils",
        subject = new { kind = "staff", rosterId = Guid.CreateVersion7(), isHeadteacher = true },
    });

    private static readonly string FriendRequestFromPupil = JsonSerializer.Serialize(new
    {
        type = "inappropriate_contact",
        summary = "A Year 9 pupil sent a friend request to a teacher",
        subject = new { kind = "pupil", misId = "MIS-000123" },
        inappropriateContact = new { from = "pupil", platform = "instagram", contactKind = "friend_request", staffResponded = false },
    });

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(DevUser user, string path)
    {
        using var client = host.Service.ClientFor(user);
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task A_concern_about_the_headteacher_is_assigned_to_the_chair()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher);
        var (status, body) = await GetAsync(Chair(host), $"/v1/cases/{id}");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("assignedRole").GetString().Should().Be(Roles.Chair);
        body.GetProperty("aboutHeadteacher").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task The_headteacher_gets_404_for_a_concern_about_the_headteacher_and_does_not_see_it_listed()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher);
        (await GetAsync(Head(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(Head(host), $"/v1/cases/{id}/timeline")).Status.Should().Be(HttpStatusCode.NotFound);
        var list = (await GetAsync(Head(host), $"/v1/schools/{host.School}/cases?limit=200")).Body;
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Should().NotContain(id);
    }

    [Fact]
    public async Task A_published_policy_naming_the_headteacher_routes_a_concern_about_that_roster_id_to_the_chair()
    {
        var school = Guid.CreateVersion7();
        var headStaffId = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Routed School", 1);
        await host.PublishAsync(Published(host.Trust, school, 48, new NamedPerson("Head", "Headteacher", headStaffId)));
        var dsl = new DevUser("dsl-routed", "DSL", host.Trust, [$"{Roles.Dsl}:{school}"]);
        await Eventually.Until(async () => (await GetAsync(dsl, $"/v1/schools/{school}/incident-policy")).Body, b => SourceOf(b) == "policy 2.0");

        var reporter = new DevUser("staff-routed", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]);
        var id = await ReportAsync(host, reporter, JsonSerializer.Serialize(new
        {
            type = "staff_conduct_concern", summary = "Posts about pupils", subject = new { kind = "staff", rosterId = headStaffId },
        }), school);
        (await GetAsync(dsl, $"/v1/cases/{id}")).Body.GetProperty("assignedRole").GetString().Should().Be(Roles.Chair);
        (await GetAsync(new DevUser("head-routed", "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_older_policy_publication_arriving_late_does_not_replace_a_newer_one()
    {
        var school = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Late School", 1);
        var newer = Published(host.Trust, school, 24) with { Version = "3.0" };
        await host.PublishAsync(newer);
        await Eventually.Until(async () => (await GetAsync(Admin(host), $"/v1/schools/{school}/incident-policy")).Body,
            b => SourceOf(b) == "policy 3.0");

        // The older publication arrives after the newer one was applied.
        await host.PublishAsync(Published(host.Trust, school, 48) with { Version = "2.9", OccurredAt = newer.OccurredAt.AddHours(-1) });
        var marker = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, marker, "Marker", 1);
        await host.PublishAsync(Published(host.Trust, marker, 24));
        await Eventually.Until(async () => (await GetAsync(Admin(host), $"/v1/schools/{marker}/incident-policy")).Body,
            b => SourceOf(b) == "policy 2.0");

        var (_, body) = await GetAsync(Admin(host), $"/v1/schools/{school}/incident-policy");
        body.GetProperty("source").GetString().Should().Be("policy 3.0");
        body.GetProperty("sla").GetProperty("responseHours").GetInt32().Should().Be(24);
    }

    [Fact]
    public async Task Publications_consumed_at_once_settle_on_the_newest()
    {
        var school = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Busy School", 1);
        var newest = Published(host.Trust, school, 24) with { Version = "5.0" };
        await Task.WhenAll(Enumerable.Range(1, 4)
            .Select(i => host.PublishAsync(Published(host.Trust, school, 48) with { Version = $"4.{i}", OccurredAt = newest.OccurredAt.AddMinutes(-i) }))
            .Append(host.PublishAsync(newest)));
        await Eventually.Until(async () => (await GetAsync(Admin(host), $"/v1/schools/{school}/incident-policy")).Body,
            b => SourceOf(b) == "policy 5.0", because: "the newest publication wins");
    }

    [Fact]
    public async Task Until_a_policy_is_published_the_catalogue_defaults_apply()
    {
        var (_, body) = await GetAsync(Admin(host), $"/v1/schools/{host.OtherSchool}/incident-policy");
        body.GetProperty("source").GetString().Should().Be("defaults");
        body.GetProperty("sla").GetProperty("responseHours").GetInt32().Should().Be(PolicyDefaults.Sla.ResponseHours);
    }

    [Fact]
    public async Task A_restricted_case_is_readable_by_the_dsl_only()
    {
        var id = await ReportAsync(host, Staff(host), FriendRequestFromPupil);
        (await GetAsync(Dsl(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);
        foreach (var other in new[] { Head(host), Admin(host), Chair(host), new DevUser("mo", "MO", host.Trust, [$"{Roles.MarketingOfficer}:{host.School}"]) })
        {
            (await GetAsync(other, $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound, other.Subject + " is not the DSL");
        }
    }

    [Fact]
    public async Task Every_read_of_a_restricted_case_leaves_an_audit_entry_queryable_by_the_dsl_and_trust_admin()
    {
        var id = await ReportAsync(host, Staff(host), FriendRequestFromPupil);
        await GetAsync(Dsl(host), $"/v1/cases/{id}");
        await GetAsync(Dsl(host), $"/v1/cases/{id}");
        await GetAsync(Dsl(host), $"/v1/cases/{id}/export");

        foreach (var reader in new[] { Dsl(host), Admin(host) })
        {
            var (status, body) = await GetAsync(reader, $"/v1/schools/{host.School}/case-audit?caseId={id}");
            status.Should().Be(HttpStatusCode.OK);
            var entries = body.GetProperty("items").EnumerateArray().ToList();
            entries.Select(e => e.GetProperty("action").GetString()).Should().Equal("read", "read", "export");
            entries.Should().AllSatisfy(e =>
            {
                e.GetProperty("actor").GetString().Should().Be("user:dsl");
                e.GetProperty("actorRole").GetString().Should().Be(Roles.Dsl);
            });
        }
    }

    [Fact]
    public async Task The_reporting_staff_member_sees_only_receipt_and_status()
    {
        var id = await ReportAsync(host, Staff(host), FriendRequestFromPupil);
        var (status, body) = await GetAsync(Staff(host), $"/v1/cases/{id}");
        status.Should().Be(HttpStatusCode.OK);
        body.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("id", "type", "status", "receivedAt", "view");
        body.GetProperty("view").GetString().Should().Be("receipt");
        body.GetProperty("status").GetString().Should().Be("open");
        (await GetAsync(Staff(host), $"/v1/cases/{id}/timeline")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_staff_member_of_the_school_gets_404_for_a_report_they_did_not_make()
    {
        var id = await ReportAsync(host, Staff(host), FriendRequestFromPupil);
        (await GetAsync(new DevUser("staff2", "Staff", host.Trust, [$"{Roles.Staff}:{host.School}"]), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reporting_writes_incident_reported_with_the_type_and_restriction_only()
    {
        var id = await ReportAsync(host, Staff(host), FriendRequestFromPupil);
        var events = await EventsForAsync(host, id);
        events.Should().ContainSingle(e => e.Type.Contains(nameof(IncidentReported)));
        var body = events.Single().Body;
        body.GetProperty("caseType").GetString().Should().Be("inappropriate_contact");
        body.GetProperty("restricted").GetBoolean().Should().BeTrue();
        body.GetRawText().Should().NotContain("MIS-000123", "restricted cases carry no detail on the wire");
    }

    [Fact]
    public async Task A_report_with_the_wrong_detail_object_names_the_field()
    {
        using var client = host.Service.ClientFor(Staff(host));
        var response = await client.PostAsync($"/v1/schools/{host.School}/cases", Json("""{"type": "cyberbullying", "summary": "x", "filteringAlert": {"provider": "Smoothwall", "alertedAt": "2026-11-20T10:00:00Z"}}"""));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("filteringAlert", out _).Should().BeTrue();
        errors.TryGetProperty("cyberbullying", out _).Should().BeTrue();
    }

    [Fact]
    public async Task An_integration_with_incidents_write_files_a_report_and_sees_its_receipt()
    {
        var seed = await EnsureAsync(host);
        using var client = host.Service.ClientWithKey(seed.WriteKey);
        var response = await client.PostAsync($"/v1/schools/{host.School}/cases", Json(AccountMessage(TestClock.Now)));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var receipt = await client.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
        receipt.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("id", "type", "status", "receivedAt", "view");
        receipt.GetProperty("view").GetString().Should().Be("receipt");
    }

    [Fact]
    public async Task A_report_retried_with_the_same_idempotency_key_files_one_case()
    {
        var seed = await EnsureAsync(host);
        using var client = host.Service.ClientWithKey(seed.WriteKey);
        var key = Guid.NewGuid().ToString();
        var ids = new List<Guid>();
        // A retry sends the same body (the clock moves on between calls, so it is built once).
        var body = AccountMessage(TestClock.Now);
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/schools/{host.School}/cases") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Created);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        ids.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_report_is_refused_and_files_nothing()
    {
        var seed = await EnsureAsync(host);
        using var client = host.Service.ClientWithKey(seed.WriteKey);
        var key = Guid.NewGuid().ToString();
        using var first = new HttpRequestMessage(HttpMethod.Post, $"/v1/schools/{host.School}/cases") { Content = Json(AccountMessage(TestClock.Now)) };
        first.Headers.Add("Idempotency-Key", key);
        (await client.SendAsync(first)).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await CaseCountAsync();

        var other = JsonSerializer.Serialize(new { type = "staff_conduct_concern", summary = "Another report under the same key" });
        using var second = new HttpRequestMessage(HttpMethod.Post, $"/v1/schools/{host.School}/cases") { Content = Json(other) };
        second.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(second);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString().Should().Be("platform.idempotency_key_reused");
        (await CaseCountAsync()).Should().Be(before);
    }

    private async Task<long> CaseCountAsync()
    {
        await using var connection = await OwnerAsync(host);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM incidents.cases WHERE trust_id = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = host.Trust });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The policy source of an incident-policy answer; null for a problem (the school not yet replicated).</summary>
    private static string? SourceOf(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("source", out var source) ? source.GetString() : null;

    internal static PolicyPublished Published(Guid trust, Guid school, int slaHours, NamedPerson? head = null) =>
        new(Guid.CreateVersion7(), trust, school, TestClock.Now, Guid.CreateVersion7(), "2.0", true, null,
            PolicyDefaults.Calendar(), new SlaSettings(slaHours, "end_of_next_working_day"),
            PolicyDefaults.Routing with { Headteacher = head }, PolicyDefaults.Accounts, PolicyDefaults.Training);
}
