using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Domain.SchoolApprovals;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>000: "Approved by Governing Body, 24.03.2026", next review March 2028, beside the trust's Board of Trustees.</summary>
[Collection(PolicyCollection.Name)]
public sealed class SchoolApprovalTests(PolicyFixture fixture)
{
    /// <summary>24 March of the latest year where that day is not after today: the seed's meeting day, never in the future.</summary>
    private static DateOnly MeetingDay
    {
        get
        {
            var day = new DateOnly(TestClock.Today.Year, 3, 24);
            return day <= TestClock.Today ? day : day.AddYears(-1);
        }
    }

    private HttpClient Admin(Guid trust) => fixture.Policy.ClientFor(fixture.TrustAdmin(trust));

    private HttpClient Head(Guid trust, Guid school) => fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));

    private static object Approval(DateOnly on, string body = "Governing Body", string name = "Chair of Governors") =>
        new { approvingBody = body, approverName = name, approvedOn = TestClock.Day(on) };

    /// <summary>A trust with two schools and, unless told otherwise, version 1.0 approved by its Board of Trustees and published.</summary>
    private async Task<(Guid Trust, Guid School, Guid Other, Guid Version)> NewTrustAsync(string schoolName = "Old Basford School", bool publish = true)
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Approving Trust");
        var school = await fixture.CreateSchoolAsync(trust, schoolName, "700001");
        var other = await fixture.CreateSchoolAsync(trust, "Mellers Primary School", "700002");
        using var admin = Admin(trust);
        await PolicyFixture.CompleteDocumentsAsync(admin);
        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "First trust-wide policy" });
        await Http.EnsureSuccessAsync(draft);
        var version = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        if (publish)
        {
            await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/policy/versions/{version}/approve",
                new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(MeetingDay) }));
            await Http.EnsureSuccessAsync(await admin.PostAsync($"/v1/policy/versions/{version}/publish", null));
        }

        return (trust, school, other, version);
    }

    private static Task<HttpResponseMessage> Cycle(HttpClient client, string path, int months) =>
        PolicyFixture.PutAsync(client, path, new JsonObject { ["value"] = months }, ensureSuccess: false);

    [Fact]
    public async Task A_headteacher_records_the_governing_bodys_approval_and_the_school_lists_it()
    {
        var (trust, school, _, version) = await NewTrustAsync();
        using var head = Head(trust, school);

        var response = await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var recorded = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        recorded["approvingBody"]!.GetValue<string>().Should().Be("Governing Body");
        recorded["approverName"]!.GetValue<string>().Should().Be("Chair of Governors");
        recorded["version"]!.GetValue<string>().Should().Be("1.0");
        recorded["nextReviewOn"]!.GetValue<string>().Should().Be(TestClock.Day(MeetingDay.AddMonths(12)), "the catalogue's cycle is 12 months");
        var approvals = await head.GetFromJsonAsync<JsonArray>($"/v1/schools/{school}/policy/approvals");
        approvals!.Should().ContainSingle().Which!["versionId"]!.GetValue<Guid>().Should().Be(version);
    }

    [Fact]
    public async Task A_second_approval_of_the_same_version_is_a_409_and_the_first_stands()
    {
        var (trust, school, _, version) = await NewTrustAsync();
        using var head = Head(trust, school);
        await Http.EnsureSuccessAsync(await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay)));

        var again = await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay, name: "Someone else"));

        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var approvals = await head.GetFromJsonAsync<JsonArray>($"/v1/schools/{school}/policy/approvals");
        approvals!.Should().ContainSingle().Which!["approverName"]!.GetValue<string>().Should().Be("Chair of Governors");
    }

    [Fact]
    public async Task A_retried_approval_with_the_same_idempotency_key_returns_the_first()
    {
        var (trust, school, _, version) = await NewTrustAsync();
        using var head = Head(trust, school);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/schools/{school}/policy/versions/{version}/approval") { Content = JsonContent.Create(Approval(MeetingDay)) };
            request.Headers.Add("Idempotency-Key", key);
            return await head.SendAsync(request);
        }

        var first = await Send();
        var retry = await Send();

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created, "a retry gets the first answer, not the 409 of a second approval");
        (await retry.Content.ReadFromJsonAsync<JsonObject>())!["recordedAt"]!.GetValue<string>()
            .Should().Be((await first.Content.ReadFromJsonAsync<JsonObject>())!["recordedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_approval_dated_in_the_future_is_refused_naming_approvedOn()
    {
        var (trust, school, _, version) = await NewTrustAsync();
        using var head = Head(trust, school);

        var response = await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(TestClock.Today.AddDays(3)));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("approvedOn");
        (await head.GetFromJsonAsync<JsonArray>($"/v1/schools/{school}/policy/approvals"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task A_version_not_yet_published_cannot_be_approved_by_a_school()
    {
        var (trust, school, _, version) = await NewTrustAsync(publish: false);
        using var head = Head(trust, school);

        var response = await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay));

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>().Should().Be("draft");
    }

    [Fact]
    public async Task Another_trusts_version_or_another_trusts_school_is_not_found()
    {
        var (trust, school, _, version) = await NewTrustAsync();
        var (otherTrust, otherSchool, _, otherVersion) = await NewTrustAsync();
        using var head = Head(trust, school);
        using var otherAdmin = Admin(otherTrust);

        (await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{otherVersion}/approval", Approval(MeetingDay)))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "another trust's version is not visible");
        (await otherAdmin.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay)))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "another trust's school is not visible");
        (await otherAdmin.PostAsJsonAsync($"/v1/schools/{otherSchool}/policy/versions/{version}/approval", Approval(MeetingDay)))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "a version of another trust on the caller's own school");
        (await otherAdmin.GetAsync($"/v1/schools/{school}/policy/approvals")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_schools_headteacher_and_a_school_restricted_api_key_cannot_record_an_approval()
    {
        var (trust, school, other, version) = await NewTrustAsync();
        using var otherHead = Head(trust, other);
        using var admin = Admin(trust);
        var issued = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "restricted", scopes = Scopes.All, schoolIds = new[] { school } });
        await Http.EnsureSuccessAsync(issued);
        using var key = fixture.Policy.ClientWithKey((await issued.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>());

        (await otherHead.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay)))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "a headteacher acts for their own school only");
        (await key.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay)))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "an approval is a person's act, never an integration's");
        (await admin.GetFromJsonAsync<JsonArray>($"/v1/schools/{school}/policy/approvals"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task The_schools_document_shows_the_trusts_approval_and_its_own_in_the_control_block_and_the_history()
    {
        var (trust, school, other, version) = await NewTrustAsync();
        using var head = Head(trust, school);
        await Http.EnsureSuccessAsync(await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay)));

        var document = await head.GetStringAsync($"/v1/schools/{school}/policy/document");

        var meeting = MeetingDay.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        document.Should().Contain("| Approved by | Board of Trustees (Chair of the Board of Trustees) |");
        document.Should().Contain($"| Approved by the school | Governing Body (Chair of Governors) |");
        document.Should().Contain($"| School approval date | {meeting} |");
        document.Should().Contain($"| 1.0 | {meeting} | Governing Body (Chair of Governors) | Approved by Old Basford School |", "the history lists the school's approval beside the trust's version");
        using var otherHead = Head(trust, other);
        (await otherHead.GetStringAsync($"/v1/schools/{other}/policy/document")).Should().NotContain("Approved by the school", "only the approving school's document shows it");
    }

    [Fact]
    public async Task A_trust_allowing_24_months_lets_old_basford_review_every_two_years_from_its_approval()
    {
        var (trust, school, _, version) = await NewTrustAsync();
        using var admin = Admin(trust);
        using var head = Head(trust, school);
        await Http.EnsureSuccessAsync(await Cycle(admin, "/v1/policy/baseline/review.cycle_months", 24));
        await Http.EnsureSuccessAsync(await Cycle(head, $"/v1/schools/{school}/policy/overrides/review.cycle_months", 24));

        var response = await head.PostAsJsonAsync($"/v1/schools/{school}/policy/versions/{version}/approval", Approval(MeetingDay));

        await Http.EnsureSuccessAsync(response);
        var nextReview = new DateOnly(MeetingDay.Year + 2, 3, 24);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["nextReviewOn"]!.GetValue<string>().Should().Be(TestClock.Day(nextReview), "000 line 203: reviewed in 2 years");
        (await head.GetStringAsync($"/v1/schools/{school}/policy/document")).Should().Contain($"| Next review date | 24 March {MeetingDay.Year + 2} |");
        var reviews = await admin.GetFromJsonAsync<JsonArray>("/v1/policy/reviews");
        reviews!.Single(r => r!["schoolId"]!.GetValue<Guid>() == school)!["nextReviewDate"]!.GetValue<string>().Should().Be(TestClock.Day(nextReview));
    }

    [Fact]
    public async Task A_school_review_cycle_longer_than_the_trusts_is_refused_with_the_rule_name()
    {
        var (trust, school, _, _) = await NewTrustAsync();
        using var head = Head(trust, school);

        var response = await Cycle(head, $"/v1/schools/{school}/policy/overrides/review.cycle_months", 24);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "the trust reviews every 12 months and the rule is tighten-only");
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["rule"]!.GetValue<string>().Should().Be("tighten_only");
    }

    [Fact]
    public async Task The_catalogue_bounds_a_trusts_review_cycle_at_24_months()
    {
        var (trust, _, _, _) = await NewTrustAsync(publish: false);
        using var admin = Admin(trust);

        var response = await Cycle(admin, "/v1/policy/baseline/review.cycle_months", 36);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("value");
    }
}
