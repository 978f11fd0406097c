using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>002 Appendix A: staff request a blocked site; the headteacher (or the role the trust names) decides; an approval is a time-limited allowance in the feed.</summary>
[Collection(PolicyCollection.Name)]
public sealed class AccessRequestTests(PolicyFixture fixture)
{
    private HttpClient As(string role, Guid trust, Guid school) => fixture.Policy.ClientFor(fixture.InSchool(role, trust, school));

    private async Task<(Guid Trust, Guid School, Guid Other)> NewTrustAsync()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Requesting Trust");
        var school = await fixture.CreateSchoolAsync(trust, "Mellers Primary School", "720001");
        var other = await fixture.CreateSchoolAsync(trust, "Newbury Primary School", "720002");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.PutAsync(admin, "/v1/policy/baseline/blocked_sites",
            new JsonObject { ["value"] = new JsonArray("facebook.com", "instagram.com", "twitter.com", "youtube.com") });
        return (trust, school, other);
    }

    private static object Form(DateTimeOffset from, DateTimeOffset until, string site = "youtube.com") => new
    {
        site, fullUrl = (string?)null, reason = "Year 6 e-safety lesson on judging online video", intendedUse = "Computing, Year 6", siteContent = "Video sharing", risksAndControls = "Teacher's screen only", allowedFrom = from, allowedUntil = until,
    };

    private static async Task<Guid> RequestAsync(HttpClient staff, Guid school, object form)
    {
        var response = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", form);
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid school, Guid request, bool approved, string reason = "Supervised lesson") =>
        client.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests/{request}/decision", new { approved, reason });

    private static Task<string> AllowedAsync(HttpClient client, Guid school) => client.GetStringAsync($"/v1/schools/{school}/blocked-sites?list=allowed");

    [Fact]
    public async Task The_headteachers_approval_allows_the_site_in_the_feed_until_it_lapses()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        using var head = As(Roles.Headteacher, trust, school);
        var now = TestClock.Now;
        var id = await RequestAsync(staff, school, Form(now.AddMinutes(-1), now.AddSeconds(4)));
        (await AllowedAsync(head, school)).Should().BeEmpty("a pending request allows nothing");

        var decided = await DecideAsync(head, school, id, approved: true);

        decided.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await decided.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"]!.GetValue<string>().Should().Be("approved");
        body["decidedAs"]!.GetValue<string>().Should().Be("headteacher");
        (await AllowedAsync(head, school)).Should().Be("youtube.com\n");
        (await head.GetStringAsync($"/v1/schools/{school}/blocked-sites")).Should().Contain("youtube.com\n", "the block stays listed beside its exception");
        await Eventually.Until(() => AllowedAsync(head, school), text => text.Length == 0, TimeSpan.FromSeconds(20), "the allowance lapses at allowedUntil by the service's clock");
    }

    [Fact]
    public async Task An_approval_for_a_later_period_is_not_in_the_feed_before_it_starts()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        using var head = As(Roles.Headteacher, trust, school);
        var id = await RequestAsync(staff, school, Form(TestClock.Now.AddDays(7), TestClock.Now.AddDays(8)));

        await Http.EnsureSuccessAsync(await DecideAsync(head, school, id, approved: true));

        (await AllowedAsync(head, school)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_refusal_allows_nothing_and_deciding_again_is_a_409_with_the_state()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        using var head = As(Roles.Headteacher, trust, school);
        var id = await RequestAsync(staff, school, Form(TestClock.Now, TestClock.Now.AddDays(1)));

        (await DecideAsync(head, school, id, approved: false, "Use the downloaded clip instead")).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await DecideAsync(head, school, id, approved: true);

        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>().Should().Be("refused");
        (await AllowedAsync(head, school)).Should().BeEmpty();
    }

    [Fact]
    public async Task Only_the_role_the_trust_names_as_access_approver_may_decide()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.PutAsync(admin, "/v1/policy/baseline/blocked_sites.access_approver", new JsonObject { ["value"] = "ict_technician" });
        using var staff = As(Roles.Staff, trust, school);
        var id = await RequestAsync(staff, school, Form(TestClock.Now, TestClock.Now.AddDays(1)));
        using var head = As(Roles.Headteacher, trust, school);
        using var technician = As(Roles.IctTechnician, trust, school);

        var byHead = await DecideAsync(head, school, id, approved: true);
        var byTechnician = await DecideAsync(technician, school, id, approved: true);

        byHead.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await byHead.Content.ReadFromJsonAsync<JsonObject>())!["rule"]!.GetValue<string>().Should().Be("blocked_sites.access_approver");
        byTechnician.StatusCode.Should().Be(HttpStatusCode.OK);
        (await byTechnician.Content.ReadFromJsonAsync<JsonObject>())!["decidedAs"]!.GetValue<string>().Should().Be("ict_technician");
    }

    [Fact]
    public async Task A_period_longer_than_42_days_or_ending_before_it_starts_is_refused_naming_allowedUntil()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);

        var tooLong = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", Form(TestClock.Now, TestClock.Now.AddDays(43)));
        var backwards = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", Form(TestClock.Now, TestClock.Now.AddDays(-1)));
        var ended = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", Form(TestClock.Now.AddDays(-3), TestClock.Now.AddDays(-2)));

        foreach (var response in new[] { tooLong, backwards, ended })
        {
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("allowedUntil");
        }
    }

    [Fact]
    public async Task A_form_that_leaves_out_the_optional_page_and_risks_is_accepted_as_a_request_for_the_site()
    {
        // An MIS or a generated client leaves optional fields out rather than sending null.
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        var response = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", new
        {
            site = "youtube.com", reason = "Year 6 e-safety lesson", intendedUse = "Computing, Year 6", siteContent = "Video sharing",
            allowedFrom = TestClock.Now, allowedUntil = TestClock.Now.AddDays(1),
        });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        created["fullUrl"].Should().BeNull();
        created["site"]!.GetValue<string>().Should().Be("youtube.com");
    }

    [Fact]
    public async Task A_site_the_school_does_not_block_or_that_is_not_a_host_name_is_refused_naming_site()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);

        var notBlocked = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", Form(TestClock.Now, TestClock.Now.AddDays(1), "bbc.co.uk"));
        var notAHost = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", Form(TestClock.Now, TestClock.Now.AddDays(1), "youtube\nevil.com"));

        foreach (var response in new[] { notBlocked, notAHost })
        {
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("site");
        }
    }

    [Fact]
    public async Task An_empty_site_or_a_page_that_is_not_a_url_is_refused_naming_the_field_and_nothing_is_stored()
    {
        // Each field's checks stand on their own: a condition meant for one check (the site's form, the page's host) once
        // switched off the Required and format checks before it, and an empty site reached the handler.
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        object WithPage(string? site, string fullUrl) => new
        {
            site, fullUrl, reason = "Year 6 e-safety lesson", intendedUse = "Computing, Year 6", siteContent = "Video sharing",
            allowedFrom = TestClock.Now, allowedUntil = TestClock.Now.AddDays(1),
        };

        foreach (var (form, field, reason) in new[]
                 {
                     (Form(TestClock.Now, TestClock.Now.AddDays(1), ""), "site", "Required."),
                     (Form(TestClock.Now, TestClock.Now.AddDays(1), "   "), "site", "Required."),
                     (WithPage("youtube.com", "not a url"), "fullUrl", "An http or https URL."),
                     (WithPage("youtube.com", "ftp://youtube.com/video"), "fullUrl", "An http or https URL."),
                     (WithPage("youtube.com", "https://youtube.com/" + new string('a', 2000)), "fullUrl", "2000"),
                     (WithPage("youtube.com", "https://evil.example/youtube.com"), "fullUrl", "A page on the site requested."),
                 })
        {
            using var response = await staff.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", form);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{field} is refused");
            var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
            errors.Should().ContainKey(field);
            errors[field]!.ToJsonString().Should().Contain(reason);
        }

        var listed = await staff.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/blocked-sites/access-requests");
        listed!["items"]!.AsArray().Should().BeEmpty("nothing refused was stored");
    }

    [Fact]
    public async Task A_retried_request_with_the_same_idempotency_key_returns_the_first_and_another_body_is_a_422()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        var key = Guid.NewGuid().ToString();
        var from = TestClock.Now;
        async Task<HttpResponseMessage> Send(object form)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/schools/{school}/blocked-sites/access-requests") { Content = JsonContent.Create(form) };
            request.Headers.Add("Idempotency-Key", key);
            return await staff.SendAsync(request);
        }

        var first = await Send(Form(from, from.AddDays(1)));
        var retry = await Send(Form(from, from.AddDays(1)));
        var other = await Send(Form(from, from.AddDays(2)));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        (await retry.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>().Should().Be((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        other.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        using var head = As(Roles.Headteacher, trust, school);
        (await head.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/blocked-sites/access-requests"))!["items"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Staff_see_their_own_requests_and_the_approver_sees_the_schools_queue()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        using var colleague = fixture.Policy.ClientFor(new DevUser("colleague-" + school, "Colleague", trust, [$"{Roles.Staff}:{school}"]));
        using var head = As(Roles.Headteacher, trust, school);
        var mine = await RequestAsync(staff, school, Form(TestClock.Now, TestClock.Now.AddDays(1)));
        await RequestAsync(colleague, school, Form(TestClock.Now, TestClock.Now.AddDays(1), "instagram.com"));

        var ownList = (await staff.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/blocked-sites/access-requests"))!["items"]!.AsArray();
        var queue = (await head.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/blocked-sites/access-requests?status=pending"))!["items"]!.AsArray();
        var colleagueReads = await colleague.GetAsync($"/v1/schools/{school}/blocked-sites/access-requests/{mine}");

        ownList.Should().ContainSingle().Which!["id"]!.GetValue<Guid>().Should().Be(mine);
        queue.Should().HaveCount(2);
        colleagueReads.StatusCode.Should().Be(HttpStatusCode.NotFound, "another member of staff's request is not theirs to read");
        (await head.GetFromJsonAsync<JsonObject>($"/v1/schools/{school}/blocked-sites/access-requests/{mine}"))!["status"]!.GetValue<string>().Should().Be("pending");
    }

    [Fact]
    public async Task Another_schools_or_another_trusts_request_is_a_404()
    {
        var (trust, school, other) = await NewTrustAsync();
        using var staff = As(Roles.Staff, trust, school);
        var id = await RequestAsync(staff, school, Form(TestClock.Now, TestClock.Now.AddDays(1)));
        using var otherHead = As(Roles.Headteacher, trust, other);
        using var otherTrust = As(Roles.Headteacher, fixture.TrustB, fixture.SchoolB1);

        (await DecideAsync(otherHead, school, id, approved: true)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await DecideAsync(otherHead, other, id, approved: true)).StatusCode.Should().Be(HttpStatusCode.NotFound, "the request is not the other school's");
        (await DecideAsync(otherTrust, fixture.SchoolB1, id, approved: true)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await otherHead.GetAsync($"/v1/schools/{school}/blocked-sites/access-requests/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
