using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

public sealed class RecordsTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static DateOnly Today => TestClock.Today;

    [Fact]
    public async Task A_completion_computes_its_expiry_and_announces_the_training()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var course = await host.CourseAsync("at_risk_pupils", validityMonths: 24);
        await client.SyncAsync(school, [TrainingKit.Row("C1")]);
        var person = await host.PersonIdAsync(school, "C1");

        // Completed 23 months ago: the 24-month certificate is still current today, whatever day the run is on.
        var completedOn = Today.AddMonths(-23);
        var response = await client.CompleteAsync(school, person, course, completedOn);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var completion = await response.Content.ReadFromJsonAsync<JsonElement>();
        completion.GetProperty("expiresOn").GetString().Should().Be(TestClock.Day(completedOn.AddMonths(24)));
        completion.GetProperty("score").GetDecimal().Should().Be(92.5m);
        (await host.EventsAsync<TrainingCompleted>(school)).Should().Be(1);
        (await client.RequirementsAsync(school, person))["at_risk_pupils"].GetProperty("status").GetString().Should().Be("done");
    }

    [Fact]
    public async Task A_completion_past_its_expiry_is_announced_as_expired_once()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var course = await host.CourseAsync("e_safety_short", validityMonths: 1);
        await client.SyncAsync(school, [TrainingKit.Row("X1")]);
        var person = await host.PersonIdAsync(school, "X1");

        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, course, Today.AddMonths(-3)));

        await Eventually.Until(() => host.EventsAsync<TrainingExpired>(school), n => n == 1, because: "the expiry sweep announces the lapsed completion");
        var completions = await client.GetJsonAsync($"/v1/schools/{school}/people/{person}/completions");
        completions.GetProperty("items")[0].GetProperty("expired").GetBoolean().Should().BeTrue();
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, course, Today));
        (await host.EventsAsync<TrainingExpired>(school)).Should().Be(1);
    }

    [Fact]
    public async Task A_completion_for_a_course_the_trust_does_not_have_is_refused_naming_the_field()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("B1")]);
        var person = await host.PersonIdAsync(school, "B1");

        var response = await client.CompleteAsync(school, person, Guid.CreateVersion7(), Today);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("courseId");
    }

    [Fact]
    public async Task Pupil_sessions_name_a_cohort_and_parent_sessions_count_attendance()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();

        var pupils = await client.PostAsJsonAsync($"/v1/schools/{school}/sessions",
            new { audience = "pupils", topic = "Staying safe online", heldOn = "2026-10-05", deliveredBy = "E-safety lead", yearGroup = "Year 7" });
        var parents = await client.PostAsJsonAsync($"/v1/schools/{school}/sessions",
            new { audience = "parents", topic = "Social media and your child", heldOn = "2026-10-12", deliveredBy = "DSL", attendanceCount = 34 });
        var noCohort = await client.PostAsJsonAsync($"/v1/schools/{school}/sessions",
            new { audience = "pupils", topic = "x", heldOn = "2026-10-05", deliveredBy = "y" });
        var pupilName = await client.PostAsJsonAsync($"/v1/schools/{school}/sessions",
            new { audience = "pupils", topic = "x", heldOn = "2026-10-05", deliveredBy = "y", yearGroup = "7", pupilName = "A child" });

        pupils.StatusCode.Should().Be(HttpStatusCode.Created);
        parents.StatusCode.Should().Be(HttpStatusCode.Created);
        noCohort.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noCohort.Content.ReadAsStringAsync()).Should().Contain("yearGroup");
        pupilName.StatusCode.Should().Be(HttpStatusCode.BadRequest, "no individual pupil records");
        var list = await client.GetJsonAsync($"/v1/schools/{school}/sessions");
        list.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("audience").GetString()).Should().Equal("parents", "pupils");
        list.GetProperty("items")[0].GetProperty("attendanceCount").GetInt32().Should().Be(34);
    }

    [Fact]
    public async Task A_school_reports_percent_compliant_per_requirement()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var course = await host.CourseAsync("social_media_policy");
        await client.SyncAsync(school, [TrainingKit.Row("P1", roles: ["support_staff"]), TrainingKit.Row("P2", roles: ["support_staff"]),
            TrainingKit.Row("P3", roles: ["support_staff"]), TrainingKit.Row("P4", roles: ["support_staff"])]);
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, await host.PersonIdAsync(school, "P1"), course, Today));

        var compliance = await client.GetJsonAsync($"/v1/schools/{school}/compliance");

        var induction = compliance.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("requirement").GetString() == "induction");
        induction.GetProperty("total").GetInt32().Should().Be(4);
        induction.GetProperty("done").GetInt32().Should().Be(1);
        induction.GetProperty("overdue").GetInt32().Should().Be(3);
        induction.GetProperty("percentCompliant").GetDecimal().Should().Be(25m);
    }

    [Fact]
    public async Task The_trust_sees_every_school_side_by_side_and_can_export_it_as_csv()
    {
        var first = await host.NewSchoolAsync();
        var second = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        await client.SyncAsync(first, [TrainingKit.Row("W1")]);
        await client.SyncAsync(second, [TrainingKit.Row("W2"), TrainingKit.Row("W3")]);

        var trust = await client.GetJsonAsync("/v1/compliance");
        var csv = await client.GetStringAsync("/v1/compliance/export");

        var schools = trust.GetProperty("schools").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetGuid());
        schools.Should().ContainKeys(first, second, host.School, host.OtherSchool);
        Total(schools[first], "induction").Should().Be(1);
        Total(schools[second], "induction").Should().Be(2);
        csv.Should().StartWith("as_of,school_id,school_name,requirement,total,done,due,overdue,percent_compliant");
        csv.Should().Contain($",{second},").And.Contain(",induction,2,0,");
    }

    [Fact]
    public async Task A_school_name_that_looks_like_a_formula_is_exported_as_text_not_as_a_formula()
    {
        // OWASP CSV injection: a spreadsheet runs any cell that starts with =, +, -, @, a tab or a carriage return.
        var names = new[] { "=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1" };
        var schools = new List<Guid>();
        using var client = host.AdminClient();
        foreach (var name in names)
        {
            var school = Guid.CreateVersion7();
            await host.AddSchoolAsync(host.Trust, school, name, 1);
            await Eventually.Until(() => host.ScalarAsync("SELECT count(*) FROM training.school_directory WHERE school_id = $1", school), n => n == 1, because: "the school reaches the directory");
            await client.SyncAsync(school, [TrainingKit.Row("F1")]);
            schools.Add(school);
        }

        var csv = await client.GetStringAsync("/v1/compliance/export");

        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        var exported = new Dictionary<Guid, string>();
        await reader.ReadAsync();
        reader.ReadHeader();
        while (await reader.ReadAsync())
        {
            exported[Guid.Parse(reader.GetField("school_id")!)] = reader.GetField("school_name")!;
        }

        schools.Select(s => exported[s]).Should().Equal(names.Select(n => "'" + n));
        exported.Values.Should().NotContain(v => v.Length > 0 && "=+-@\t\r".Contains(v[0]), "no exported cell starts a formula");
    }

    [Fact]
    public async Task A_headteacher_sees_only_their_schools_compliance()
    {
        var school = await host.NewSchoolAsync();
        using var head = host.Service.ClientFor(new Trust.Platform.Hosting.Auth.DevUser("h", "Head", host.Trust, [$"headteacher:{school}"]));

        var trust = await head.GetJsonAsync("/v1/compliance");

        trust.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("schoolId").GetGuid()).Should().Equal(school);
    }

    private static int Total(JsonElement school, string requirement) =>
        school.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("requirement").GetString() == requirement).GetProperty("total").GetInt32();
}
