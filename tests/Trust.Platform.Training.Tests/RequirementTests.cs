using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Time;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

public sealed class RequirementTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static DateOnly Today => TestClock.Today;

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Before_any_publication_a_school_uses_the_catalogue_defaults()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();

        var policy = await client.GetJsonAsync($"/v1/schools/{school}/training-policy");

        policy.GetProperty("source").GetString().Should().Be("defaults");
        policy.GetProperty("inductionWindowDays").GetInt32().Should().Be(PolicyDefaults.Training.InductionWindowDays);
        policy.GetProperty("refresherCadence").GetString().Should().Be(PolicyDefaults.Training.RefresherCadence);
    }

    [Fact]
    public async Task A_joiner_gets_an_induction_requirement_due_inside_the_policys_window()
    {
        var school = await host.NewSchoolAsync();
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.0", major: true, windowDays: 20));
        using var client = host.AdminClient();
        var start = Today.AddDays(-2);
        await client.SyncAsync(school, [TrainingKit.Row("J1", start: Date(start))]);
        var person = await host.PersonIdAsync(school, "J1");

        var induction = (await client.RequirementsAsync(school, person))["induction"];

        induction.GetProperty("dueOn").GetString().Should().Be(Date(start.AddDays(20)));
        induction.GetProperty("status").GetString().Should().Be("due");
        induction.GetProperty("courseCode").GetString().Should().Be("social_media_policy");
    }

    [Fact]
    public async Task Completing_the_policy_course_after_starting_satisfies_the_induction()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var course = await host.CourseAsync("social_media_policy");
        await client.SyncAsync(school, [TrainingKit.Row("J2", start: Date(Today.AddDays(-40)))]);
        var person = await host.PersonIdAsync(school, "J2");
        (await client.RequirementsAsync(school, person))["induction"].GetProperty("status").GetString().Should().Be("overdue");

        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, course, Today.AddDays(-1)));

        (await client.RequirementsAsync(school, person))["induction"].GetProperty("status").GetString().Should().Be("done");
    }

    [Fact]
    public async Task Termly_refreshers_fall_due_at_each_terms_end_for_this_years_and_next_years_calendar()
    {
        var school = await host.NewSchoolAsync();
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.0", major: true, cadence: "termly"));
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("T1", start: "2020-09-01")]);
        var person = await host.PersonIdAsync(school, "T1");

        var terms = PolicyKit.Terms;
        terms.Should().HaveCount(6);
        foreach (var term in terms)
        {
            foreach (var day in new[] { term.Start, term.Start.AddDays(30), term.End })
            {
                var refresher = (await client.RequirementsAsync(school, person, day))["refresher"];
                refresher.GetProperty("dueOn").GetString().Should().Be(Date(term.End), $"on {day} the refresher is due at the end of {term.Name}");
            }
        }

        // Between terms (the holidays) the next refresher is the next term's.
        foreach (var (ended, next) in terms.Zip(terms.Skip(1)))
        {
            (await client.RequirementsAsync(school, person, ended.End.AddDays(1)))["refresher"].GetProperty("dueOn").GetString()
                .Should().Be(Date(next.End), $"the day after {ended.Name} the refresher is {next.Name}'s");
        }
    }

    [Fact]
    public async Task A_completion_in_a_term_satisfies_that_terms_refresher_but_not_the_next()
    {
        var school = await host.NewSchoolAsync();
        // Last year's terms too, so that a term has begun before today whatever day the run is on (early September included).
        Term[] terms = [.. EnglishSchoolYear.Terms(EnglishSchoolYear.YearOf(Today) - 1), .. PolicyKit.Terms];
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.0", major: true, cadence: "termly", terms: terms));
        using var client = host.AdminClient();
        var course = await host.CourseAsync("social_media_policy");
        await client.SyncAsync(school, [TrainingKit.Row("T2", start: "2020-09-01")]);
        var person = await host.PersonIdAsync(school, "T2");
        var term = terms.Last(t => t.Start.AddDays(10) <= Today);
        var next = terms[Array.IndexOf(terms, term) + 1];

        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, course, term.Start.AddDays(10)));

        (await client.RequirementsAsync(school, person, term.Start.AddDays(20)))["refresher"].GetProperty("status").GetString().Should().Be("done");
        var following = (await client.RequirementsAsync(school, person, next.Start.AddDays(10)))["refresher"];
        following.GetProperty("status").GetString().Should().Be("due");
        following.GetProperty("dueOn").GetString().Should().Be(Date(next.End));
    }

    [Fact]
    public async Task An_annual_refresher_falls_due_12_months_after_the_last_completion()
    {
        var school = await host.NewSchoolAsync();
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.0", major: true, cadence: "annual"));
        using var client = host.AdminClient();
        var course = await host.CourseAsync("social_media_policy");
        await client.SyncAsync(school, [TrainingKit.Row("A1", start: "2020-09-01")]);
        var person = await host.PersonIdAsync(school, "A1");

        var completed = Today.AddMonths(-2);
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, course, completed));

        var refresher = (await client.RequirementsAsync(school, person))["refresher"];
        refresher.GetProperty("dueOn").GetString().Should().Be(Date(completed.AddMonths(12)));
        refresher.GetProperty("status").GetString().Should().Be("done");
        (await client.RequirementsAsync(school, person, completed.AddMonths(12).AddDays(1)))["refresher"].GetProperty("status").GetString().Should().Be("overdue");
    }

    [Fact]
    public async Task Teachers_need_at_risk_pupil_training_and_support_staff_do_not()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("R1", roles: ["teacher"]), TrainingKit.Row("R2", roles: ["support_staff"])]);

        (await client.RequirementsAsync(school, await host.PersonIdAsync(school, "R1"))).Should().ContainKey("at_risk_pupils");
        (await client.RequirementsAsync(school, await host.PersonIdAsync(school, "R2"))).Should().NotContainKey("at_risk_pupils");
    }

    [Fact]
    public async Task A_significant_incident_closed_gives_the_schools_staff_a_refresher_within_5_seconds()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("I1"), TrainingKit.Row("I2", roles: ["support_staff"]), TrainingKit.Row("I3", type: "volunteer", roles: ["volunteer"])]);
        var people = new[] { await host.PersonIdAsync(school, "I1"), await host.PersonIdAsync(school, "I2"), await host.PersonIdAsync(school, "I3") };

        await host.PublishAsync(new IncidentClosed(Guid.CreateVersion7(), host.Trust, school, TestClock.Now, Guid.CreateVersion7(), "offensive_comment", "resolved", Significant: true));

        foreach (var person in people)
        {
            var refresher = await Eventually.Until(async () => (await client.RequirementsAsync(school, person)).GetValueOrDefault("incident_refresher"),
                r => r.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(5), "002: a significant incident refreshes the school's staff");
            refresher.GetProperty("status").GetString().Should().Be("due");
        }
    }

    [Fact]
    public async Task An_approved_account_gives_its_administrators_platform_training()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("P1", roles: ["marketing_officer"]), TrainingKit.Row("P2")]);
        var admin = await host.PersonIdAsync(school, "P1");
        var other = await host.PersonIdAsync(school, "P2");

        await host.PublishAsync(new AccountApproved(Guid.CreateVersion7(), host.Trust, school, TestClock.Now, Guid.CreateVersion7(), "Facebook", "@school", [admin]));

        var platform = await Eventually.Until(async () => (await client.RequirementsAsync(school, admin)).GetValueOrDefault("platform_training"),
            r => r.ValueKind == JsonValueKind.Object);
        platform.GetProperty("courseCode").GetString().Should().Be("platform:facebook");
        (await client.RequirementsAsync(school, other)).Should().NotContainKey("platform_training");
    }

    [Fact]
    public async Task Looking_back_before_a_completion_does_not_count_it_and_a_correction_in_sql_counts_at_once()
    {
        var school = await host.NewSchoolAsync();
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.0", major: true, cadence: "annual"));
        using var client = host.AdminClient();
        var policyCourse = await host.CourseAsync("social_media_policy");
        var atRiskCourse = await host.CourseAsync("at_risk_pupils");
        await client.SyncAsync(school, [TrainingKit.Row("L1", roles: ["teacher"], start: "2020-09-01")]);
        var person = await host.PersonIdAsync(school, "L1");
        var completed = Today.AddDays(-10);
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, policyCourse, completed));
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, atRiskCourse, completed));

        var now = await client.RequirementsAsync(school, person);
        now["induction"].GetProperty("status").GetString().Should().Be("done");
        now["at_risk_pupils"].GetProperty("status").GetString().Should().Be("done");
        var before = await client.RequirementsAsync(school, person, completed.AddDays(-1));
        before["induction"].GetProperty("status").GetString().Should().Be("overdue", "the day before the course nothing was completed");
        before["at_risk_pupils"].GetProperty("status").GetString().Should().Be("overdue");
        InductionDone(await client.GetJsonAsync($"/v1/schools/{school}/compliance?asOf={Date(completed.AddDays(-1))}")).Should().Be(0);
        InductionDone(await client.GetJsonAsync($"/v1/schools/{school}/compliance")).Should().Be(1);

        // An earlier completion recorded late counts when looking back to a date between the two.
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, policyCourse, completed.AddDays(-100)));
        (await client.RequirementsAsync(school, person, completed.AddDays(-1)))["induction"].GetProperty("status").GetString().Should().Be("done");

        // An operator's correction made directly in the database (the course was before the start date; the
        // at-risk certificate expired last week) shows on the next read.
        await host.ScalarAsync("UPDATE training.completions SET completed_on = date '2019-01-01' WHERE person_id = $1 AND course_code = 'social_media_policy'", person);
        await host.ScalarAsync("UPDATE training.completions SET expires_on = $2 WHERE person_id = $1 AND course_code = 'at_risk_pupils'", person, Today.AddDays(-7));
        var corrected = await client.RequirementsAsync(school, person);
        corrected["induction"].GetProperty("status").GetString().Should().Be("overdue");
        corrected["at_risk_pupils"].GetProperty("status").GetString().Should().Be("overdue");
        InductionDone(await client.GetJsonAsync($"/v1/schools/{school}/compliance")).Should().Be(0);
    }

    private static int InductionDone(JsonElement compliance) =>
        compliance.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("requirement").GetString() == "induction").GetProperty("done").GetInt32();

    [Fact]
    public async Task A_major_version_makes_everyones_acknowledgement_due_again()
    {
        var school = await host.NewSchoolAsync();
        var v1 = PolicyKit.Published(host.Trust, school, "1.0", major: true, at: TestClock.Now.AddMinutes(-2));
        await host.PublishPolicyAsync(v1);
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("K1"), TrainingKit.Row("K2"), TrainingKit.Row("K3")]);
        var people = new List<Guid>();
        foreach (var mis in new[] { "K1", "K2", "K3" })
        {
            var person = await host.PersonIdAsync(school, mis);
            people.Add(person);
            using var self = host.SelfClient(school, person);
            var ack = await self.PostAsJsonAsync($"/v1/schools/{school}/people/{person}/acknowledgements", new { policyVersionId = v1.PolicyVersionId });
            ack.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await host.EventsAsync<PolicyAcknowledged>(school)).Should().Be(3);
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "1.1", major: false, at: TestClock.Now.AddMinutes(-1)));
        foreach (var person in people)
        {
            (await client.RequirementsAsync(school, person))["policy_acknowledgement"].GetProperty("status").GetString().Should().Be("done", "a minor version needs no new acknowledgement");
        }

        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "2.0", major: true));

        foreach (var person in people)
        {
            (await client.RequirementsAsync(school, person))["policy_acknowledgement"].GetProperty("status").GetString().Should().Be("due");
        }
    }

    [Fact]
    public async Task Nobody_can_acknowledge_on_someone_elses_behalf()
    {
        var school = await host.NewSchoolAsync();
        var v1 = PolicyKit.Published(host.Trust, school, "1.0", major: true);
        await host.PublishPolicyAsync(v1);
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("N1"), TrainingKit.Row("N2")]);
        var first = await host.PersonIdAsync(school, "N1");
        var second = await host.PersonIdAsync(school, "N2");
        using var self = host.SelfClient(school, first);

        var forOther = await self.PostAsJsonAsync($"/v1/schools/{school}/people/{second}/acknowledgements", new { policyVersionId = v1.PolicyVersionId });
        var byAdmin = await client.PostAsJsonAsync($"/v1/schools/{school}/people/{first}/acknowledgements", new { policyVersionId = v1.PolicyVersionId });

        forOther.StatusCode.Should().Be(HttpStatusCode.NotFound);
        byAdmin.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await host.EventsAsync<PolicyAcknowledged>(school)).Should().Be(0);
    }

    [Fact]
    public async Task Staff_see_their_own_requirements_and_not_a_colleagues()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        await client.SyncAsync(school, [TrainingKit.Row("S1"), TrainingKit.Row("S2")]);
        var me = await host.PersonIdAsync(school, "S1");
        var colleague = await host.PersonIdAsync(school, "S2");
        using var self = host.SelfClient(school, me);

        (await self.GetAsync($"/v1/schools/{school}/people/{me}/requirements")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await self.GetAsync($"/v1/schools/{school}/people/{colleague}/requirements")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await self.GetAsync($"/v1/schools/{school}/people/{colleague}/completions")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await self.GetAsync($"/v1/schools/{school}/people")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
