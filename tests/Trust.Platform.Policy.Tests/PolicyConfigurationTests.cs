using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Features.Configuration.Reviews;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

[Collection(PolicyCollection.Name)]
public sealed class PolicyConfigurationTests(PolicyFixture fixture)
{
    private HttpClient Head(Guid trust, Guid school) => fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));

    private async Task<(Guid Trust, Guid SchoolA, Guid SchoolB)> NewTrustAsync()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Fresh Trust");
        var a = await fixture.CreateSchoolAsync(trust, "Fresh A", "500001");
        var b = await fixture.CreateSchoolAsync(trust, "Fresh B", "500002");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.CompleteDocumentsAsync(admin);
        return (trust, a, b);
    }

    private static Task<HttpResponseMessage> Override(HttpClient client, Guid school, string key, JsonNode? value) =>
        PolicyFixture.PutAsync(client, $"/v1/schools/{school}/policy/overrides/{key}", new JsonObject { ["value"] = value }, ensureSuccess: false);

    private async Task<JsonObject> EffectiveAsync(HttpClient client, Guid school, string key)
    {
        var effective = await client.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/policy/effective");
        return effective!["settings"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == key)!.AsObject();
    }

    [Fact]
    public async Task A_72_hour_override_against_the_trusts_tighten_only_48_is_a_422_naming_setting_rule_and_trust_value()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var head = Head(trust, school);
        var response = await Override(head, school, "sla.response_hours", 72);
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        problem!["setting"]!.GetValue<string>().Should().Be("sla.response_hours");
        problem["rule"]!.GetValue<string>().Should().Be("tighten_only");
        problem["trustValue"]!.GetValue<int>().Should().Be(48);
        problem["errors"]!["value"]![0]!.GetValue<string>().Should().Contain("tighten-only");
        (await EffectiveAsync(head, school, "sla.response_hours"))["value"]!.GetValue<int>().Should().Be(48, "nothing was stored");
    }

    [Fact]
    public async Task A_24_hour_override_is_accepted_and_the_effective_policy_shows_the_school_as_its_source()
    {
        var (trust, school, other) = await NewTrustAsync();
        using var head = Head(trust, school);
        (await Override(head, school, "sla.response_hours", 24)).StatusCode.Should().Be(HttpStatusCode.OK);
        var effective = await EffectiveAsync(head, school, "sla.response_hours");
        effective["value"]!.GetValue<int>().Should().Be(24);
        effective["source"]!.GetValue<string>().Should().Be("school");
        effective["trustValue"]!.GetValue<int>().Should().Be(48);
        using var otherHead = Head(trust, other);
        (await EffectiveAsync(otherHead, other, "sla.response_hours"))["source"]!.GetValue<string>().Should().Be("trust");
    }

    [Fact]
    public async Task A_stale_etag_is_412_and_a_missing_one_is_428()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var head = Head(trust, school);
        var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
        (await Override(head, school, "journalist.rule", "media_policy")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school}/policy/overrides/sla.response_hours") { Content = JsonContent.Create(new { value = 24 }) };
        stale.Headers.IfMatch.Add(etag);
        (await head.SendAsync(stale)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);

        var missing = await head.PutAsJsonAsync($"/v1/schools/{school}/policy/overrides/sla.response_hours", new { value = 24 });
        missing.StatusCode.Should().Be((HttpStatusCode)428);
        (await EffectiveAsync(head, school, "sla.response_hours"))["value"]!.GetValue<int>().Should().Be(48);
    }

    [Fact]
    public async Task A_locked_setting_and_a_removed_trust_blocked_site_are_refused_but_an_added_site_is_kept()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var head = Head(trust, school);
        (await Override(head, school, "accounts.approval_chain", new JsonArray("headteacher"))).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Override(head, school, "blocked_sites", new JsonArray("facebook.com", "instagram.com"))).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Override(head, school, "blocked_sites", new JsonArray("facebook.com", "instagram.com", "twitter.com", "tiktok.com"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var sites = (await EffectiveAsync(head, school, "blocked_sites"))["value"]!.AsArray().Select(s => s!.GetValue<string>());
        sites.Should().Equal("facebook.com", "instagram.com", "twitter.com", "tiktok.com");
    }

    [Fact]
    public async Task Clearing_an_override_makes_the_school_inherit_the_trust_value_again()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var head = Head(trust, school);
        (await Override(head, school, "sla.response_hours", 24)).EnsureSuccessStatusCode();
        var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
        using var clear = new HttpRequestMessage(HttpMethod.Delete, $"/v1/schools/{school}/policy/overrides/sla.response_hours");
        clear.Headers.IfMatch.Add(etag);
        (await head.SendAsync(clear)).StatusCode.Should().Be(HttpStatusCode.OK);
        var effective = await EffectiveAsync(head, school, "sla.response_hours");
        effective["value"]!.GetValue<int>().Should().Be(48);
        effective["source"]!.GetValue<string>().Should().Be("trust");
    }

    [Fact]
    public async Task A_baseline_change_that_breaks_an_override_is_previewed_reported_and_blocks_publishing()
    {
        var (trust, school, other) = await NewTrustAsync();
        using var head = Head(trust, school);
        (await Override(head, school, "sla.response_hours", 24)).EnsureSuccessStatusCode();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));

        var preview = await admin.PostAsJsonAsync("/v1/policy/baseline/conflict-preview", new { changes = new[] { new { key = "sla.response_hours", value = 12 } } });
        var conflicts = (await preview.Content.ReadFromJsonAsync<JsonObject>())!["conflicts"]!.AsArray();
        conflicts.Select(c => c!["schoolId"]!.GetValue<Guid>()).Should().Equal(school);
        (await EffectiveAsync(head, school, "sla.response_hours"))["value"]!.GetValue<int>().Should().Be(24, "a preview saves nothing");

        var saved = await PolicyFixture.PutAsync(admin, "/v1/policy/baseline/sla.response_hours", new JsonObject { ["value"] = 12 });
        (await saved.Content.ReadFromJsonAsync<JsonObject>())!["conflicts"]!.AsArray().Should().ContainSingle();
        var effective = await EffectiveAsync(head, school, "sla.response_hours");
        effective["value"]!.GetValue<int>().Should().Be(12, "the trust value applies while the override conflicts");
        effective["conflict"]!.GetValue<string>().Should().Contain("tighten-only");

        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "Faster responses" });
        var id = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync($"/v1/policy/versions/{id}/approve", new { approverName = "Chair", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var blocked = await admin.PostAsync($"/v1/policy/versions/{id}/publish", null);
        blocked.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await blocked.Content.ReadAsStringAsync()).Should().Contain(school.ToString()).And.NotContain(other.ToString());
    }

    [Fact]
    public async Task A_major_version_needs_approval_before_it_is_published()
    {
        var (trust, _, _) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "minor", summary = "First" });
        var version = (await draft.Content.ReadFromJsonAsync<JsonObject>())!;
        version["kind"]!.GetValue<string>().Should().Be("major", "a trust's first version is major");
        var id = version["id"]!.GetValue<Guid>();
        (await admin.PostAsync($"/v1/policy/versions/{id}/publish", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync($"/v1/policy/versions/{id}/approve", new { approverName = "Chair", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.PostAsync($"/v1/policy/versions/{id}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var minor = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "minor", summary = "Typo" });
        var minorVersion = (await minor.Content.ReadFromJsonAsync<JsonObject>())!;
        minorVersion["version"]!.GetValue<string>().Should().Be("1.1");
        (await admin.PostAsync($"/v1/policy/versions/{minorVersion["id"]!.GetValue<Guid>()}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK, "a minor version needs no re-approval");
        var history = await admin.GetFromJsonAsync<JsonArray>("/v1/policy/versions");
        history!.Select(v => (v!["version"]!.GetValue<string>(), v["status"]!.GetValue<string>())).Should().Equal(("1.1", "published"), ("1.0", "superseded"));
    }

    [Fact]
    public async Task Published_policy_reaches_a_consumer_with_each_schools_effective_values()
    {
        var mellers = await Eventually.Until(() => Task.FromResult(fixture.Published.FirstOrDefault(p => p.SchoolId == fixture.Mellers)), p => p is not null);
        var oldBasford = await Eventually.Until(() => Task.FromResult(fixture.Published.FirstOrDefault(p => p.SchoolId == fixture.OldBasford)), p => p is not null);
        mellers!.TrustId.Should().Be(fixture.SeededTrust);
        mellers.Version.Should().Be("1.0");
        mellers.IsMajor.Should().BeTrue();
        mellers.Sla.ResponseHours.Should().Be(24);
        mellers.Routing.JournalistRule.Should().Be("media_policy");
        mellers.Routing.ESafetyTeam.Select(p => p.Name).Should().Equal("Jo Kervick", "Gary Phillips", "Jo Travis");
        mellers.Accounts.MinimumAdministrators.Should().Be(2);
        mellers.Accounts.ApprovalChain.Should().Equal("marketing_officer", "headteacher");
        mellers.Calendar.Terms.Select(t => t.Name).Should().Equal(EnglishSchoolYear.ThisYearAndNext(fixture.SeededOn).Select(t => t.Name), "this school year's and next year's terms");
        mellers.Training.RefresherCadence.Should().Be("termly");
        mellers.StaffRules.Should().NotBeNull("the staff rules are what each person acknowledges in Training");
        mellers.StaffRules!.PersonalUseInLessons.Should().BeFalse();
        mellers.StaffRules.MayFollowPupils.Should().BeFalse("001 line 69, 004: locked by the trust");
        mellers.NextReviewDate.Should().Be(Demo.DemoPolicy.Dates.For(fixture.SeededOn).MellersReview);
        oldBasford!.Sla.ResponseHours.Should().Be(48);
        oldBasford.Routing.JournalistRule.Should().Be("headteacher_and_chair");
        oldBasford.Routing.FilteringProvider.Should().Be("Smoothwall");
    }

    [Fact]
    public async Task The_trust_sees_each_schools_deviations_side_by_side()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        var deviations = await admin.GetFromJsonAsync<JsonObject>("/v1/policy/deviations");
        var sla = deviations!["settings"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "sla.response_hours")!;
        sla["trustValue"]!.GetValue<int>().Should().Be(48);
        var cells = sla["schools"]!.AsArray().ToDictionary(c => c!["schoolId"]!.GetValue<Guid>(), c => (c!["value"]!.GetValue<int>(), c["source"]!.GetValue<string>()));
        cells[fixture.Mellers].Should().Be((24, "school"));
        cells[fixture.OldBasford].Should().Be((48, "trust"));
    }

    [Fact]
    public async Task Mellers_and_old_basford_documents_carry_their_own_values_and_differ_only_where_overrides_and_names_do()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        var mellers = await admin.GetStringAsync($"/v1/schools/{fixture.Mellers}/policy/document");
        var oldBasford = await admin.GetStringAsync($"/v1/schools/{fixture.OldBasford}/policy/document");

        mellers.Should().Contain("Jo Kervick, Computing Lead; Gary Phillips, IT technician and Jo Travis, SBM")
            .And.Contain("within 24 hours").And.Contain("follow the Mellers Primary School media policy before responding");
        oldBasford.Should().Contain("Hannah Booth, Brett Summersby and Ellie Baguley")
            .And.Contain("within 48 hours").And.Contain("communicate with the Headteacher and chair of governors before responding");
        mellers.Should().Contain("| Approved by | Board of Trustees (Chair of the Board of Trustees) |").And.Contain("| Version and date | 1.0,");

        // The bodies follow the template line by line: every line that differs carries a placeholder.
        var template = PolicyDocument.DefaultTemplate.ReplaceLineEndings("\n").Split('\n').Where(l => !l.StartsWith("<!-- ", StringComparison.Ordinal)).ToList();
        // 003 names no filtering provider: Mellers' document leaves out the two lines that would name one.
        var dropped = Enumerable.Range(0, template.Count).Where(i => template[i].Contains("{{roles.filtering_provider?}}", StringComparison.Ordinal)).ToHashSet();
        dropped.Should().HaveCount(2);
        template = template.Where((_, i) => !dropped.Contains(i)).ToList();
        var m = Body(mellers);
        var o = Body(oldBasford).Where((_, i) => !dropped.Contains(i)).ToList();
        m.Should().HaveSameCount(o);
        var differing = Enumerable.Range(0, m.Count).Where(i => m[i] != o[i]).ToList();
        differing.Should().NotBeEmpty();
        differing.Where(i => !template[i].Contains("{{", StringComparison.Ordinal)).Select(i => template[i]).Should().BeEmpty();
    }

    private static List<string> Body(string document)
    {
        var lines = document.ReplaceLineEndings("\n").Split('\n').ToList();
        return lines.Skip(lines.IndexOf("## Scope")).ToList();
    }

    [Fact]
    public async Task The_document_is_also_print_ready_html()
    {
        using var staff = fixture.Policy.ClientFor(fixture.InSchool(Roles.Staff, fixture.SeededTrust, fixture.Mellers));
        var response = await staff.GetAsync($"/v1/schools/{fixture.Mellers}/policy/document?format=html");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("@page").And.Contain("<table>").And.Contain("within 24 hours");
    }

    [Fact]
    public async Task A_school_amends_only_sections_the_trust_marks_amendable_and_a_major_version_flags_them_for_review()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var head = Head(trust, school);
        async Task<HttpResponseMessage> Amend(string section, string text)
        {
            var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school}/policy/sections/{section}") { Content = JsonContent.Create(new { markdown = text }) };
            request.Headers.IfMatch.Add(etag);
            return await head.SendAsync(request);
        }

        (await Amend("definitions", "We do as we like.")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Amend("legal-considerations", "- Our own legal text.")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await head.GetStringAsync($"/v1/schools/{school}/policy/document")).Should().Contain("- Our own legal text.");

        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "New baseline" });
        var id = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await admin.PostAsJsonAsync($"/v1/policy/versions/{id}/approve", new { approverName = "Chair", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) });
        (await admin.PostAsync($"/v1/policy/versions/{id}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        await using var connection = new NpgsqlConnection(fixture.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT needs_review FROM policy.section_amendments WHERE school_id = $1 AND section_id = 'legal-considerations'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = school });
        ((bool)(await command.ExecuteScalarAsync())!).Should().BeTrue();
    }

    [Fact]
    public async Task Reviews_show_overdue_schools_and_each_reminder_is_sent_once()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        var reviews = await admin.GetFromJsonAsync<JsonArray>("/v1/policy/reviews");
        var mellers = reviews!.Single(r => r!["schoolId"]!.GetValue<Guid>() == fixture.Mellers)!;
        var mellersReview = Demo.DemoPolicy.Dates.For(fixture.SeededOn).MellersReview;
        mellersReview.Should().BeBefore(TestClock.Today);
        mellers["status"]!.GetValue<string>().Should().Be("overdue", "Mellers' review date (003: March 2025) has passed");
        mellers["reminders"]!.AsArray().Select(r => r!["dueOn"]!.GetValue<string>()).Should().Equal(ReviewSchedule.Reminders(mellersReview).Select(r => TestClock.Day(r.DueOn)));

        var reminders = fixture.Policy.Services.GetRequiredService<ReviewReminderService>();
        await reminders.SweepAsync(CancellationToken.None);
        (await reminders.SweepAsync(CancellationToken.None)).Should().Be(0, "a reminder is sent once");
        reviews = await admin.GetFromJsonAsync<JsonArray>("/v1/policy/reviews");
        reviews!.Single(r => r!["schoolId"]!.GetValue<Guid>() == fixture.Mellers)!["reminders"]!.AsArray()
            .Should().OnlyContain(r => r!["sentAt"] != null);
    }
}
