using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

/// <summary>Per-person compliance: who is behind, on which requirement, since when; per school and trust-wide; JSON pages and CSV.</summary>
public sealed class PeopleComplianceTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static DateOnly Today => TestClock.Today;

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A school under an annual-refresher policy published today with a 30-day window: Ann (teacher, started 40 days ago, nothing done),
    /// Ben (teacher, started 40 days ago, did the policy course yesterday), Cat (support staff, started 2 days ago), and Dan who has left.
    /// </summary>
    private async Task<(Guid School, Dictionary<string, Guid> People)> SchoolAsync(string prefix)
    {
        var school = await host.NewSchoolAsync();
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.0", major: true, windowDays: 30, cadence: "annual"));
        using var admin = host.AdminClient();
        var started = Date(Today.AddDays(-40));
        await admin.SyncAsync(school,
        [
            TrainingKit.Row(prefix + "-ANN", "Ann", start: started),
            TrainingKit.Row(prefix + "-BEN", "Ben", start: started),
            TrainingKit.Row(prefix + "-CAT", "Cat", roles: ["support_staff"], start: Date(Today.AddDays(-2))),
            TrainingKit.Row(prefix + "-DAN", "Dan", start: Date(Today.AddDays(-100)), leave: Date(Today.AddDays(-1))),
        ]);
        var people = new Dictionary<string, Guid>();
        foreach (var name in new[] { "ANN", "BEN", "CAT", "DAN" })
        {
            people[name] = await host.PersonIdAsync(school, prefix + "-" + name);
        }

        var course = await host.CourseAsync("social_media_policy");
        await Http.EnsureSuccessAsync(await admin.CompleteAsync(school, people["BEN"], course, Today.AddDays(-1)));
        return (school, people);
    }

    private static IEnumerable<(Guid Person, string Requirement)> Rows(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("personId").GetGuid(), i.GetProperty("requirement").GetString()!));

    [Fact]
    public async Task The_school_list_names_exactly_the_people_behind_and_the_requirements_they_are_behind_on()
    {
        var (school, p) = await SchoolAsync("PB1");
        using var admin = host.AdminClient();

        var page = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}");

        Rows(page).Should().BeEquivalentTo(new[]
        {
            (p["ANN"], "induction"), (p["ANN"], "refresher"), (p["ANN"], "at_risk_pupils"), (p["BEN"], "at_risk_pupils"),
        });
        var induction = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("requirement").GetString() == "induction");
        induction.GetProperty("dueOn").GetString().Should().Be(Date(Today.AddDays(-10)), "Ann's induction was due 30 days after she started");
        induction.GetProperty("daysOverdue").GetInt32().Should().Be(10);
        induction.GetProperty("status").GetString().Should().Be("overdue");
        induction.GetProperty("displayName").GetString().Should().Be("Ann");
        induction.GetProperty("misId").GetString().Should().Be("PB1-ANN");
    }

    [Fact]
    public async Task Due_lists_what_is_not_yet_late_and_a_requirement_filter_keeps_one_requirement()
    {
        var (school, p) = await SchoolAsync("PB2");
        using var admin = host.AdminClient();

        var due = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}&status=due");
        Rows(due).Should().BeEquivalentTo(new[]
        {
            (p["ANN"], "policy_acknowledgement"), (p["BEN"], "policy_acknowledgement"), (p["CAT"], "induction"), (p["CAT"], "refresher"),
            (p["CAT"], "policy_acknowledgement"),
        });

        var all = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}&status=all&requirement=at_risk_pupils");
        Rows(all).Should().BeEquivalentTo(new[] { (p["ANN"], "at_risk_pupils"), (p["BEN"], "at_risk_pupils") });
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_without_losing_or_repeating_a_row()
    {
        var (school, _) = await SchoolAsync("PB3");
        using var admin = host.AdminClient();

        var first = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}&status=all&limit=3");
        var cursor = first.GetProperty("nextCursor").GetString();
        cursor.Should().NotBeNull();
        var second = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}&status=all&limit=3&cursor={cursor}");
        var third = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}&status=all&limit=3&cursor={second.GetProperty("nextCursor").GetString()}");
        var everything = await admin.GetJsonAsync($"/v1/schools/{school}/compliance/people?asOf={Date(Today)}&status=all");

        third.GetProperty("nextCursor").ValueKind.Should().Be(JsonValueKind.Null);
        Rows(first).Concat(Rows(second)).Concat(Rows(third)).Should().Equal(Rows(everything));
        Rows(everything).Should().HaveCount(9);
    }

    [Fact]
    public async Task Accept_text_csv_answers_the_people_behind_as_a_spreadsheet()
    {
        var (school, _) = await SchoolAsync("PB4");
        using var admin = host.AdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/schools/{school}/compliance/people?asOf={Date(Today)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var response = await admin.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("as_of,school_id,school_name,person_id,mis_id,display_name,requirement,course_code,due_on,status,days_overdue");
        lines.Skip(1).Select(l => string.Join(',', l.Split(',')[5..])).Should().BeEquivalentTo(
        [
            $"Ann,induction,social_media_policy,{Date(Today.AddDays(-10))},overdue,10",
            $"Ann,refresher,social_media_policy,{Date(Today.AddDays(-10))},overdue,10",
            $"Ann,at_risk_pupils,at_risk_pupils,{Date(Today.AddDays(-10))},overdue,10",
            $"Ben,at_risk_pupils,at_risk_pupils,{Date(Today.AddDays(-10))},overdue,10",
        ]);
    }

    [Fact]
    public async Task Trust_wide_an_admin_sees_every_school_and_a_headteacher_only_their_own()
    {
        var (first, p1) = await SchoolAsync("PB5");
        var (second, p2) = await SchoolAsync("PB6");
        using var admin = host.AdminClient();
        using var head = host.Service.ClientFor(new DevUser("head", "Head", host.Trust, [$"{Roles.Headteacher}:{first}"]));

        async Task<List<(Guid School, Guid Person)>> AllAsync(HttpClient client)
        {
            var rows = new List<(Guid, Guid)>();
            string? cursor = null;
            do
            {
                var page = await client.GetJsonAsync($"/v1/compliance/people?asOf={Date(Today)}&requirement=induction&limit=200" + (cursor is null ? "" : "&cursor=" + cursor));
                rows.AddRange(page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("schoolId").GetGuid(), i.GetProperty("personId").GetGuid())));
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);
            return rows;
        }

        (await AllAsync(admin)).Should().Contain([(first, p1["ANN"]), (second, p2["ANN"])]).And.NotContain(r => r.Person == p1["DAN"]);
        (await AllAsync(head)).Should().Equal((first, p1["ANN"]));
    }

    [Fact]
    public async Task A_bad_status_or_requirement_is_refused_naming_the_parameter()
    {
        var school = await host.NewSchoolAsync();
        using var admin = host.AdminClient();

        var status = await admin.GetAsync($"/v1/schools/{school}/compliance/people?status=late");
        var requirement = await admin.GetAsync($"/v1/compliance/people?requirement=first_aid");

        status.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await status.Content.ReadAsStringAsync()).Should().Contain("status");
        requirement.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await requirement.Content.ReadAsStringAsync()).Should().Contain("requirement");
    }
}
