using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>SLA clocks through the API, overdue detection, the escalation ladder, closure and retention.</summary>
public sealed class SlaAndEscalationTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private async Task<JsonElement> CaseAsync(DevUser user, Guid id)
    {
        using var client = host.Service.ClientFor(user);
        return await client.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
    }

    [Fact]
    public async Task A_24_hour_school_receiving_a_comment_on_saturday_at_ten_is_due_monday_at_five()
    {
        var school = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Mellers-like", 1);
        await host.PublishAsync(CaseTests.Published(host.Trust, school, 24));
        var head = new DevUser("head-sla", "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]);
        using var client = host.Service.ClientFor(head);
        await Eventually.Until(async () =>
        {
            // 404 until the school reaches the directory replica; the defaults (48 h) until the policy arrives.
            var response = await client.GetAsync($"/v1/schools/{school}/incident-policy");
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sla").GetProperty("responseHours").GetInt32()
                : 0;
        }, h => h == 24);

        // Saturday 21 November 2026, 10:00 in London (GMT).
        var id = await ReportAsync(host, head, AccountMessage(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero)), school);
        (await CaseAsync(head, id)).GetProperty("dueAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task An_overdue_comment_is_flagged_listed_for_the_school_and_trust_wide_and_escalated_once()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(new DateTimeOffset(2020, 1, 6, 9, 0, 0, TimeSpan.Zero)));
        var scanner = host.Service.Services.GetRequiredService<OverdueScanner>();
        await scanner.SweepAsync(CancellationToken.None);
        await scanner.SweepAsync(CancellationToken.None);

        (await CaseAsync(Head(host), id)).GetProperty("overdue").GetBoolean().Should().BeTrue();
        using var head = host.Service.ClientFor(Head(host));
        var schoolList = await head.GetFromJsonAsync<JsonElement>($"/v1/schools/{host.School}/cases?overdue=true&limit=200");
        schoolList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Should().Contain(id);
        using var admin = host.Service.ClientFor(Admin(host));
        var trustList = await admin.GetFromJsonAsync<JsonElement>("/v1/cases/overdue?limit=200");
        trustList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Should().Contain(id);

        var escalations = (await EventsForAsync(host, id)).Where(e => e.Type.Contains(nameof(IncidentEscalated))).ToList();
        escalations.Should().ContainSingle();
        escalations[0].Body.GetProperty("step").GetString().Should().Be("overdue");
    }

    [Fact]
    public async Task A_comment_not_yet_due_is_not_flagged()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));
        await host.Service.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
        (await CaseAsync(Head(host), id)).GetProperty("overdue").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Each_escalation_step_is_recorded_with_who_when_and_why_and_emits_incident_escalated()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));
        using var head = host.Service.ClientFor(Head(host));
        await Http.EnsureSuccessAsync(await head.PostAsync($"/v1/cases/{id}/escalations", Json("""{"step": "internal", "reason": "Parent unhappy with the reply"}""")));
        await Http.EnsureSuccessAsync(await head.PostAsync($"/v1/cases/{id}/escalations", Json("""{"step": "provider_report", "reason": "Abusive reply posted; reported to the platform"}""")));

        var escalations = (await CaseAsync(Head(host), id)).GetProperty("escalations").EnumerateArray().ToList();
        escalations.Select(e => e.GetProperty("step").GetString()).Should().Equal("internal", "provider_report");
        escalations.Should().AllSatisfy(e =>
        {
            e.GetProperty("by").GetString().Should().Be("user:head");
            e.GetProperty("role").GetString().Should().Be(Roles.Headteacher);
            e.GetProperty("reason").GetString().Should().NotBeNullOrEmpty();
        });
        (await EventsForAsync(host, id)).Count(e => e.Type.Contains(nameof(IncidentEscalated))).Should().Be(2);
    }

    [Fact]
    public async Task Closing_with_an_outcome_and_the_significant_flag_emits_incident_closed()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));
        using var head = host.Service.ClientFor(Head(host));
        var closed = await head.PostAsync($"/v1/cases/{id}/close", Json("""{"outcome": "content_removed", "significant": true}"""));
        await Http.EnsureSuccessAsync(closed);
        var body = await closed.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("closed");
        body.GetProperty("retentionUntil").ValueKind.Should().Be(JsonValueKind.String);

        var evt = (await EventsForAsync(host, id)).Single(e => e.Type.Contains(nameof(IncidentClosed))).Body;
        evt.GetProperty("outcome").GetString().Should().Be("content_removed");
        evt.GetProperty("significant").GetBoolean().Should().BeTrue();

        // A wrong state is a 409 naming the state, not a field error: the request itself was fine.
        var again = await head.PostAsync($"/v1/cases/{id}/close", Json("""{"outcome": "content_removed", "significant": true}"""));
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().Should().Be("closed");
        var escalated = await head.PostAsync($"/v1/cases/{id}/escalations", Json("""{"step": "internal", "reason": "Raised again after closure"}"""));
        escalated.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await escalated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().Should().Be("closed");
    }

    [Fact]
    public async Task A_blocked_content_request_is_not_a_case_and_the_refusal_names_where_it_is_made()
    {
        using var staff = host.Service.ClientFor(Staff(host));
        var refused = await staff.PostAsync($"/v1/schools/{host.School}/cases", Json(JsonSerializer.Serialize(new
        {
            type = "blocked_content_request", summary = "Access to a video site for a lesson",
        })));

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").EnumerateObject().Single().Value[0].GetString().Should().Contain("/blocked-sites/access-requests");
    }

    [Fact]
    public async Task A_child_protection_case_is_kept_until_the_pupils_date_of_birth_plus_25_years()
    {
        var id = await ReportAsync(host, Staff(host), JsonSerializer.Serialize(new
        {
            type = "pupil_conduct_concern", summary = "Sharing images",
            subject = new { kind = "pupil", misId = "MIS-42", dateOfBirth = "2012-05-01" },
        }));
        (await CaseAsync(Dsl(host), id)).GetProperty("retentionUntil").GetString().Should().Be("2037-05-01");
    }

    [Fact]
    public async Task A_date_of_birth_is_refused_outside_child_protection()
    {
        using var client = host.Service.ClientFor(Staff(host));
        var response = await client.PostAsync($"/v1/schools/{host.School}/cases", Json(JsonSerializer.Serialize(new
        {
            type = "inappropriate_content", summary = "A gaming site opened in the library",
            subject = new { kind = "pupil", misId = "MIS-44", dateOfBirth = "2012-05-01" },
            inappropriateContent = new { date = "2026-11-20", fullUrls = new[] { "https://games.example/x" }, natureOfContent = "Violent game" },
        })));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("subject.dateOfBirth", out _).Should().BeTrue();
    }

    [Fact]
    public async Task A_legal_hold_takes_a_case_off_the_review_list()
    {
        // A child-protection case without a date of birth cannot be given a retention date: it is listed for review.
        var id = await ReportAsync(host, Staff(host), JsonSerializer.Serialize(new
        {
            type = "pupil_conduct_concern", summary = "Concern", subject = new { kind = "pupil", misId = "MIS-43" },
        }));
        using var dsl = host.Service.ClientFor(Dsl(host));
        async Task<List<Guid>> DueAsync() => (await dsl.GetFromJsonAsync<JsonElement>($"/v1/schools/{host.School}/cases/due-for-review?limit=200"))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        (await DueAsync()).Should().Contain(id);

        var read = await dsl.GetAsync($"/v1/cases/{id}");
        using var hold = new HttpRequestMessage(HttpMethod.Put, $"/v1/cases/{id}/legal-hold") { Content = Json("""{"hold": true, "reason": "Police investigation"}""") };
        hold.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        await Http.EnsureSuccessAsync(await dsl.SendAsync(hold));
        (await DueAsync()).Should().NotContain(id);
    }

    [Fact]
    public async Task A_legal_hold_without_the_current_etag_is_refused()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));
        using var head = host.Service.ClientFor(Head(host));
        using var hold = new HttpRequestMessage(HttpMethod.Put, $"/v1/cases/{id}/legal-hold") { Content = Json("""{"hold": true, "reason": "Complaint"}""") };
        hold.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
        (await head.SendAsync(hold)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
    }
}
