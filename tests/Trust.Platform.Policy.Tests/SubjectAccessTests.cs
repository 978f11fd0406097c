using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.People;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>The subject access export of Policy: the member record and posts of one member of staff, nothing about a colleague.</summary>
[Collection(PolicyCollection.Name)]
public sealed class SubjectAccessTests(PolicyFixture fixture)
{
    private HttpClient Admin() => fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));

    /// <summary>A member linked to a fresh roster id and appointed at <paramref name="school"/>.</summary>
    private static async Task<(Guid RosterId, MemberResponse Member, Guid Appointment)> StaffMemberAsync(HttpClient admin, Guid school, string name)
    {
        var rosterId = Guid.CreateVersion7();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/v1/members", new { displayName = $"{name} {tag}", email = $"{name.ToLowerInvariant()}.{tag}@school.example", subject = $"oid-{tag}", staffId = rosterId });
        await Http.EnsureSuccessAsync(created);
        var member = (await created.Content.ReadFromJsonAsync<MemberResponse>(Json.Options))!;
        var appointed = await admin.PostAsJsonAsync($"/v1/schools/{school}/appointments", new { memberId = member.Id, role = "staff", startsOn = "2025-09-01" });
        await Http.EnsureSuccessAsync(appointed);
        return (rosterId, member, (await appointed.Content.ReadFromJsonAsync<AppointmentResponse>(Json.Options))!.Id);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ExportAsync(DevUser user, Guid school, string query)
    {
        using var client = fixture.Policy.ClientFor(user);
        var response = await client.GetAsync($"/v1/schools/{school}/subject-access?{query}");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task The_export_holds_the_staff_members_record_and_posts_and_nothing_about_a_colleague()
    {
        using var admin = Admin();
        var (rosterId, member, appointment) = await StaffMemberAsync(admin, fixture.SchoolA1, "Ann");
        var (_, colleague, colleagueAppointment) = await StaffMemberAsync(admin, fixture.SchoolA1, "Bob");

        var (status, export) = await ExportAsync(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA1), fixture.SchoolA1, $"rosterId={rosterId}");

        status.Should().Be(HttpStatusCode.OK);
        var members = export.GetProperty("members").EnumerateArray().ToList();
        members.Select(m => m.GetProperty("member").GetProperty("id").GetGuid()).Should().Equal(member.Id);
        members[0].GetProperty("member").GetProperty("email").GetString().Should().Be(member.Email);
        members[0].GetProperty("appointments").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).Should().Equal(appointment);
        export.GetRawText().Should().NotContain(colleague.Id.ToString()).And.NotContain(colleague.Email).And.NotContain(colleague.DisplayName)
            .And.NotContain(colleagueAppointment.ToString());
        // One member with one post, no blocked-site requests: two records went out, and the log says so.
        await SubjectAccessLogCheck.ShouldHoldAsync(admin, fixture.SchoolA1,
            ("staff", rosterId.ToString(), fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA1), Roles.Headteacher, 2));
    }

    [Fact]
    public async Task The_export_holds_the_blocked_site_requests_the_staff_member_made_and_not_a_colleagues()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Subject Access Trust");
        var school = await fixture.CreateSchoolAsync(trust, "Mellers Primary School", "720101");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.PutAsync(admin, "/v1/policy/baseline/blocked_sites", new System.Text.Json.Nodes.JsonObject { ["value"] = new System.Text.Json.Nodes.JsonArray("youtube.com") });
        var (rosterId, member, _) = await StaffMemberAsync(admin, school, "Ann");
        var (_, colleague, _) = await StaffMemberAsync(admin, school, "Bob");
        var own = await RequestAsync(new DevUser(member.Subject!, member.DisplayName, trust, [$"{Roles.Staff}:{school}"]), school);
        var other = await RequestAsync(new DevUser(colleague.Subject!, colleague.DisplayName, trust, [$"{Roles.Staff}:{school}"]), school);

        var (status, export) = await ExportAsync(fixture.TrustAdmin(trust), school, $"rosterId={rosterId}");

        status.Should().Be(HttpStatusCode.OK);
        export.GetProperty("accessRequests").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).Should().Equal(own);
        export.GetRawText().Should().NotContain(other.ToString()).And.NotContain(colleague.Subject!);
    }

    private async Task<Guid> RequestAsync(DevUser staff, Guid school)
    {
        using var client = fixture.Policy.ClientFor(staff);
        // The post just made reaches Policy's people replica by event: until then the member holds no post at the school (403).
        using var response = await Eventually.Until(
            () => client.PostAsJsonAsync($"/v1/schools/{school}/blocked-sites/access-requests", new
            {
                site = "youtube.com", fullUrl = (string?)null, reason = "Year 6 e-safety lesson", risksAndControls = "Teacher's screen only", intendedUse = "Computing, Year 6", siteContent = "Video sharing",
                allowedFrom = TestClock.Now.AddDays(1), allowedUntil = TestClock.Now.AddDays(2),
            }),
            r => r.StatusCode != HttpStatusCode.Forbidden, TimeSpan.FromSeconds(30), "the staff member's post reaches Policy's people replica");
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_member_with_no_post_at_the_school_is_not_in_its_export()
    {
        using var admin = Admin();
        var (rosterId, member, _) = await StaffMemberAsync(admin, fixture.SchoolA2, "Cat");

        var (status, export) = await ExportAsync(fixture.InSchool(Roles.Dsl, fixture.TrustA, fixture.SchoolA1), fixture.SchoolA1, $"rosterId={rosterId}");

        status.Should().Be(HttpStatusCode.OK);
        export.GetProperty("members").GetArrayLength().Should().Be(0);
        export.GetRawText().Should().NotContain(member.Email);
    }

    [Fact]
    public async Task Another_schools_headteacher_is_answered_404()
    {
        using var admin = Admin();
        var (rosterId, _, _) = await StaffMemberAsync(admin, fixture.SchoolA1, "Dan");

        var (status, _) = await ExportAsync(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA2), fixture.SchoolA1, $"rosterId={rosterId}");

        status.Should().Be(HttpStatusCode.NotFound);
        using var stranger = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA2));
        await SubjectAccessLogCheck.ShouldBeHiddenFromAsync(stranger, fixture.SchoolA1);
        await SubjectAccessLogCheck.ShouldHoldNothingAboutAsync(admin, fixture.SchoolA1, rosterId.ToString()); // refused: nothing exported, nothing logged
    }

    [Fact]
    public async Task A_pupils_mis_id_is_refused_naming_the_field_since_policy_keeps_no_pupils()
    {
        var (status, body) = await ExportAsync(fixture.TrustAdmin(fixture.TrustA), fixture.SchoolA1, "misId=PUPIL-1");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("errors").GetProperty("misId")[0].GetString().Should().Contain("no records about pupils");
    }
}
