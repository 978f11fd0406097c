using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>
/// Who may see and act on a case: its subject never does, a case about the headteacher reaches neither the headteacher
/// nor a headteacher who is also the DSL, "about the headteacher" is recognised from the roster, and a DSL or the chair
/// can re-route a wrongly routed case (on real PostgreSQL and RabbitMQ).
/// </summary>
public sealed class CaseAccessTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    /// <summary>Small primaries: the headteacher is often the DSL as well.</summary>
    private DevUser HeadAndDsl => new("head-dsl", "Head and DSL", host.Trust, [$"{Roles.Headteacher}:{host.School}", $"{Roles.Dsl}:{host.School}"]);

    private static string AboutTheHeadteacher(Guid? rosterId = null) => JsonSerializer.Serialize(new
    {
        type = "staff_conduct_concern",
        summary = "The headteacher's personal account follows current pupils",
        subject = new { kind = "staff", rosterId = rosterId ?? Guid.CreateVersion7(), isHeadteacher = true },
    });

    private static string AboutStaff(Guid rosterId) => JsonSerializer.Serialize(new
    {
        type = "staff_conduct_concern",
        summary = "A teacher posts photos of pupils on a personal account",
        subject = new { kind = "staff", rosterId },
    });

    /// <summary>Every read and action on one case, with a body an allowed caller would get past binding with.</summary>
    public static TheoryData<string, string, string?> CaseEndpoints() => new()
    {
        { "GET", "", null },
        { "GET", "/timeline", null },
        { "GET", "/timeline/verify", null },
        { "GET", "/export", null },
        { "POST", "/notes", """{"text": "Spoke to the reporter"}""" },
        { "POST", "/escalations", """{"step": "internal", "reason": "Needs a meeting"}""" },
        { "POST", "/close", """{"outcome": "no_further_action", "significant": false}""" },
        { "PUT", "/legal-hold", """{"hold": false}""" },
        { "POST", "/evidence", null },
        { "GET", "/evidence/{evidence}", null },
        { "POST", "/routing", """{"assignedRole": "dsl", "reason": "Wrongly routed"}""" },
    };

    private async Task<HttpStatusCode> SendAsync(DevUser user, string method, string path, string? body)
    {
        using var client = host.Service.ClientFor(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (path.EndsWith("/evidence", StringComparison.Ordinal))
        {
            request.Content = EvidenceFile(Png, "image/png");
        }
        else if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("If-Match", "*");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(DevUser user, string path)
    {
        using var client = host.Service.ClientFor(user);
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(DevUser user, string path, string body)
    {
        using var client = host.Service.ClientFor(user);
        var response = await client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private async Task<List<Guid>> ListedAsync(DevUser user, string query = "")
    {
        var (status, body) = await GetAsync(user, $"/v1/schools/{host.School}/cases?limit=200{query}");
        status.Should().Be(HttpStatusCode.OK);
        return body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    /// <summary>A case with one piece of evidence (uploaded by <paramref name="owner"/>, who may act on it).</summary>
    private async Task<(Guid Case, Guid Evidence)> CaseWithEvidenceAsync(string body, DevUser owner)
    {
        var id = await ReportAsync(host, Staff(host), body);
        using var client = host.Service.ClientFor(owner);
        using var content = EvidenceFile(Png, "image/png");
        var upload = await client.PostAsync($"/v1/cases/{id}/evidence", content);
        await Http.EnsureSuccessAsync(upload);
        return (id, (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    [Theory]
    [MemberData(nameof(CaseEndpoints))]
    public async Task A_headteacher_who_is_also_the_dsl_gets_404_on_every_read_and_action_of_a_case_about_the_headteacher(string method, string suffix, string? body)
    {
        var (id, evidence) = await CaseWithEvidenceAsync(AboutTheHeadteacher(), Chair(host));
        var status = await SendAsync(HeadAndDsl, method, $"/v1/cases/{id}{suffix.Replace("{evidence}", evidence.ToString(), StringComparison.Ordinal)}", body);
        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_headteacher_who_is_also_the_dsl_does_not_see_a_case_about_the_headteacher_listed()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        (await ListedAsync(HeadAndDsl)).Should().NotContain(id);
    }

    [Fact]
    public async Task A_headteacher_who_is_also_the_dsl_cannot_close_a_case_about_the_headteacher()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        var (status, _) = await PostAsync(HeadAndDsl, $"/v1/cases/{id}/close", """{"outcome": "no_further_action", "significant": false}""");
        status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(Chair(host), $"/v1/cases/{id}")).Body.GetProperty("status").GetString().Should().Be("open");
    }

    [Fact]
    public async Task A_headteacher_who_is_also_the_dsl_does_not_see_who_read_a_case_about_the_headteacher()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        (await GetAsync(Chair(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);
        (await GetAsync(Dsl(host), $"/v1/schools/{host.School}/case-audit?caseId={id}")).Body.GetProperty("items").GetArrayLength().Should().Be(1);

        var (status, body) = await GetAsync(HeadAndDsl, $"/v1/schools/{host.School}/case-audit?caseId={id}");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Another_dsl_and_the_chair_still_read_a_case_about_the_headteacher()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        (await GetAsync(Dsl(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);
        (await GetAsync(Chair(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);
        (await ListedAsync(Dsl(host))).Should().Contain(id);
    }

    [Theory]
    [MemberData(nameof(CaseEndpoints))]
    public async Task The_staff_subject_of_a_case_gets_404_on_every_read_and_action_even_as_a_dsl(string method, string suffix, string? body)
    {
        var subject = Guid.CreateVersion7();
        var (id, evidence) = await CaseWithEvidenceAsync(AboutStaff(subject), Head(host));
        var subjectAsDsl = new DevUser("subject-dsl", "Subject", host.Trust, [$"{Roles.Dsl}:{host.School}"], subject);
        var status = await SendAsync(subjectAsDsl, method, $"/v1/cases/{id}{suffix.Replace("{evidence}", evidence.ToString(), StringComparison.Ordinal)}", body);
        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_staff_subject_of_a_case_does_not_see_it_listed_even_as_a_dsl()
    {
        var subject = Guid.CreateVersion7();
        var id = await ReportAsync(host, Staff(host), AboutStaff(subject));
        (await ListedAsync(new DevUser("subject-dsl", "Subject", host.Trust, [$"{Roles.Dsl}:{host.School}"], subject))).Should().NotContain(id);
        (await ListedAsync(Dsl(host))).Should().Contain(id, "another DSL still sees it");
    }

    [Fact]
    public async Task The_staff_subject_cannot_close_their_case()
    {
        var subject = Guid.CreateVersion7();
        var id = await ReportAsync(host, Staff(host), AboutStaff(subject));
        var subjectAsHead = new DevUser("subject-head", "Subject", host.Trust, [$"{Roles.Headteacher}:{host.School}"], subject);
        var (status, _) = await PostAsync(subjectAsHead, $"/v1/cases/{id}/close", """{"outcome": "no_further_action", "significant": false}""");
        status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(Dsl(host), $"/v1/cases/{id}")).Body.GetProperty("status").GetString().Should().Be("open");
    }

    [Fact]
    public async Task The_staff_subject_cannot_lift_a_legal_hold_on_their_case()
    {
        var subject = Guid.CreateVersion7();
        var id = await ReportAsync(host, Staff(host), AboutStaff(subject));
        using (var dsl = host.Service.ClientFor(Dsl(host)))
        using (var hold = new HttpRequestMessage(HttpMethod.Put, $"/v1/cases/{id}/legal-hold") { Content = Json("""{"hold": true, "reason": "Employment tribunal"}""") })
        {
            hold.Headers.TryAddWithoutValidation("If-Match", "*");
            await Http.EnsureSuccessAsync(await dsl.SendAsync(hold));
        }

        var subjectAsDsl = new DevUser("subject-dsl", "Subject", host.Trust, [$"{Roles.Dsl}:{host.School}"], subject);
        (await SendAsync(subjectAsDsl, "PUT", $"/v1/cases/{id}/legal-hold", """{"hold": false}""")).Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(Dsl(host), $"/v1/cases/{id}")).Body.GetProperty("legalHold").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_concern_about_the_rosters_headteacher_without_the_reporters_box_is_routed_to_the_chair()
    {
        var school = Guid.CreateVersion7();
        var headStaffId = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Roster School", 1);
        await host.PublishAsync(new StaffJoined(Guid.CreateVersion7(), host.Trust, school, TestClock.Now, headStaffId, "MIS-H1", "A Head",
            ["headteacher", "teacher"], new DateOnly(2020, 9, 1)));
        var reporter = new DevUser("staff-roster", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]);
        var dsl = new DevUser("dsl-roster", "DSL", host.Trust, [$"{Roles.Dsl}:{school}"]);

        // Each probe files a report (the roster reaches Incidents by event); the last one must go to the chair.
        var assigned = await Eventually.Until(async () =>
        {
            using var client = host.Service.ClientFor(reporter);
            var response = await client.PostAsync($"/v1/schools/{school}/cases", Json(AboutStaff(headStaffId)));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return null;
            }

            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            return (await GetAsync(dsl, $"/v1/cases/{id}")).Body.GetProperty("assignedRole").GetString();
        }, role => role == Roles.Chair, because: "the roster names that staff member as the headteacher");
        assigned.Should().Be(Roles.Chair);
    }

    /// <summary>Files a concern about <paramref name="rosterId"/> at <paramref name="school"/>; the role it was assigned to (null until the school is known).</summary>
    private async Task<string?> AssignedRoleOfReportAboutAsync(Guid school, Guid rosterId)
    {
        using var client = host.Service.ClientFor(new DevUser("staff-roster", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]));
        var response = await client.PostAsync($"/v1/schools/{school}/cases", Json(AboutStaff(rosterId)));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (await GetAsync(new DevUser("dsl-roster", "DSL", host.Trust, [$"{Roles.Dsl}:{school}"]), $"/v1/cases/{id}")).Body.GetProperty("assignedRole").GetString();
    }

    [Fact]
    public async Task A_headteacher_who_left_the_roster_is_no_longer_recognised_and_a_late_older_join_does_not_bring_them_back()
    {
        var school = Guid.CreateVersion7();
        var head = Guid.CreateVersion7();
        var joinedAt = TestClock.Now;
        await host.AddSchoolAsync(host.Trust, school, "Leaving School", 1);
        await host.PublishAsync(new StaffJoined(Guid.CreateVersion7(), host.Trust, school, joinedAt, head, "MIS-H3", "A Head", ["headteacher"], new DateOnly(2020, 9, 1)));
        await Eventually.Until(() => AssignedRoleOfReportAboutAsync(school, head), r => r == Roles.Chair);

        await host.PublishAsync(new StaffLeft(Guid.CreateVersion7(), host.Trust, school, joinedAt.AddHours(1), head, new DateOnly(2026, 12, 31)));
        await Eventually.Until(() => AssignedRoleOfReportAboutAsync(school, head), r => r == Roles.Headteacher, because: "the headteacher left");

        // A stale join (older than the leaving) arrives late; a marker published after it shows it was consumed.
        await host.PublishAsync(new StaffJoined(Guid.CreateVersion7(), host.Trust, school, joinedAt.AddMinutes(-5), head, "MIS-H3", "A Head", ["headteacher"], new DateOnly(2020, 9, 1)));
        var marker = Guid.CreateVersion7();
        await host.PublishAsync(new StaffJoined(Guid.CreateVersion7(), host.Trust, school, joinedAt, marker, "MIS-H4", "Next Head", ["headteacher"], new DateOnly(2027, 1, 1)));
        await Eventually.Until(() => AssignedRoleOfReportAboutAsync(school, marker), r => r == Roles.Chair);
        (await AssignedRoleOfReportAboutAsync(school, head)).Should().Be(Roles.Headteacher);
    }

    [Fact]
    public async Task The_rosters_headteacher_signed_in_as_dsl_does_not_see_a_case_about_the_headteacher()
    {
        var school = Guid.CreateVersion7();
        var headStaffId = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Roster School 2", 1);
        await host.PublishAsync(new StaffJoined(Guid.CreateVersion7(), host.Trust, school, TestClock.Now, headStaffId, "MIS-H2", "A Head",
            ["headteacher", "dsl"], new DateOnly(2020, 9, 1)));
        var reporter = new DevUser("staff-roster2", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]);
        var id = await Eventually.Until(async () =>
        {
            using var client = host.Service.ClientFor(reporter);
            var response = await client.PostAsync($"/v1/schools/{school}/cases", Json(AboutTheHeadteacher()));
            return response.StatusCode == HttpStatusCode.Created ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid() : Guid.Empty;
        }, g => g != Guid.Empty, because: "the school reaches the directory replica");

        // Their token carries only the DSL role, but their staff id is the roster's headteacher.
        var headAsDsl = new DevUser("roster-head", "A Head", host.Trust, [$"{Roles.Dsl}:{school}"], headStaffId);
        var status = await Eventually.Until(async () => (await GetAsync(headAsDsl, $"/v1/cases/{id}")).Status, s => s == HttpStatusCode.NotFound,
            because: "the roster names this staff id as the headteacher");
        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_dsl_reroutes_a_wrongly_routed_case_to_the_chair_and_the_timeline_records_it()
    {
        // Reported about a roster id nobody recognised as the headteacher: it went to the headteacher.
        var id = await ReportAsync(host, Staff(host), AboutStaff(Guid.CreateVersion7()));
        (await GetAsync(Head(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);

        var (status, body) = await PostAsync(Dsl(host), $"/v1/cases/{id}/routing", """{"aboutHeadteacher": true, "reason": "The roster id is the headteacher's"}""");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("assignedRole").GetString().Should().Be(Roles.Chair);
        body.GetProperty("aboutHeadteacher").GetBoolean().Should().BeTrue();
        body.GetProperty("restricted").GetBoolean().Should().BeTrue();

        (await GetAsync(Head(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await ListedAsync(Head(host))).Should().NotContain(id);
        (await GetAsync(Chair(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);
        var timeline = (await GetAsync(Dsl(host), $"/v1/cases/{id}/timeline")).Body.GetProperty("items").EnumerateArray().ToList();
        var rerouted = timeline.Should().ContainSingle(e => e.GetProperty("kind").GetString() == "rerouted").Subject;
        rerouted.GetProperty("actorRole").GetString().Should().Be(Roles.Dsl);
        rerouted.GetProperty("body").GetProperty("to").GetProperty("assignedRole").GetString().Should().Be(Roles.Chair);
        rerouted.GetProperty("body").GetProperty("from").GetProperty("assignedRole").GetString().Should().Be(Roles.Headteacher);
        (await GetAsync(Dsl(host), $"/v1/cases/{id}/timeline/verify")).Body.GetProperty("valid").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_dsl_unmarks_a_case_wrongly_marked_as_about_the_headteacher_and_the_headteacher_sees_it_again()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        var (status, body) = await PostAsync(Dsl(host), $"/v1/cases/{id}/routing", """{"aboutHeadteacher": false, "reason": "It is about a teaching assistant"}""");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("assignedRole").GetString().Should().Be(Roles.Headteacher);
        body.GetProperty("restricted").GetBoolean().Should().BeFalse();
        (await GetAsync(Head(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_chair_reassigns_a_case_about_the_headteacher_to_the_dsl()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        var (status, body) = await PostAsync(Chair(host), $"/v1/cases/{id}/routing", """{"assignedRole": "dsl", "reason": "Safeguarding lead to investigate"}""");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("assignedRole").GetString().Should().Be(Roles.Dsl);
        body.GetProperty("aboutHeadteacher").GetBoolean().Should().BeTrue();
        (await GetAsync(Head(host), $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_reroute_that_would_hide_the_case_from_its_actor_is_refused_naming_the_field()
    {
        var id = await ReportAsync(host, Staff(host), AboutTheHeadteacher());
        var (status, body) = await PostAsync(Chair(host), $"/v1/cases/{id}/routing", """{"aboutHeadteacher": false, "reason": "Not about the head"}""");
        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("errors").TryGetProperty("aboutHeadteacher", out _).Should().BeTrue();
        (await GetAsync(Chair(host), $"/v1/cases/{id}")).Body.GetProperty("aboutHeadteacher").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task The_headteacher_cannot_reroute_a_case()
    {
        var id = await ReportAsync(host, Staff(host), AboutStaff(Guid.CreateVersion7()));
        var (status, _) = await PostAsync(Head(host), $"/v1/cases/{id}/routing", """{"assignedRole": "marketing_officer", "reason": "x"}""");
        status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_message_received_in_the_future_is_refused_naming_the_field()
    {
        using var client = host.Service.ClientFor(Staff(host));
        var response = await client.PostAsync($"/v1/schools/{host.School}/cases", Json(AccountMessage(TestClock.Now.AddHours(2))));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty("accountMessage.receivedAt", out _).Should().BeTrue();
    }

    [Fact]
    public async Task A_message_received_a_minute_ahead_of_the_server_clock_is_accepted_as_clock_skew()
    {
        using var client = host.Service.ClientFor(Staff(host));
        var response = await client.PostAsync($"/v1/schools/{host.School}/cases", Json(AccountMessage(TestClock.Now.AddMinutes(1))));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
