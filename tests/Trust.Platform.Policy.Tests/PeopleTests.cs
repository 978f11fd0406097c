using System.Net;
using System.Net.Http.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.People;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

[Collection(PolicyCollection.Name)]
public sealed class PeopleTests(PolicyFixture fixture)
{
    /// <summary>Invites a member with a fresh email and appoints them to <paramref name="role"/> at <paramref name="school"/>.</summary>
    public static async Task<(Guid MemberId, Guid AppointmentId)> MemberAppointedAsync(HttpClient leader, Guid school, string role, string? subject = null)
    {
        var member = await InviteAsync(leader, subject);
        var appointed = await leader.PostAsJsonAsync($"/v1/schools/{school}/appointments", new { memberId = member.Id, role, startsOn = "2025-09-01" });
        await Http.EnsureSuccessAsync(appointed);
        return (member.Id, (await appointed.Content.ReadFromJsonAsync<AppointmentResponse>(Json.Options))!.Id);
    }

    public static async Task<MemberResponse> InviteAsync(HttpClient leader, string? subject = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var response = await leader.PostAsJsonAsync("/v1/members", new { displayName = "Member " + tag, email = $"member.{tag}@school.example", subject });
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<MemberResponse>(Json.Options))!;
    }

    private HttpClient Admin(Guid? trust = null) => fixture.Policy.ClientFor(fixture.TrustAdmin(trust ?? fixture.TrustA));

    private HttpClient Head(Guid school) => fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.TrustA, school));

    [Fact]
    public async Task A_trust_admin_invites_a_member_who_reads_back_with_a_lower_case_email_and_an_etag()
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/v1/members", new { displayName = " Computing Lead ", email = "Computing.Lead@Mellers.example", subject = "oid-computing-lead" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        var member = (await response.Content.ReadFromJsonAsync<MemberResponse>(Json.Options))!;
        response.Headers.Location!.ToString().Should().Be($"/v1/members/{member.Id}");
        var read = (await admin.GetFromJsonAsync<MemberResponse>($"/v1/members/{member.Id}", Json.Options))!;
        read.Should().BeEquivalentTo(new { DisplayName = "Computing Lead", Email = "computing.lead@mellers.example", Subject = "oid-computing-lead", Version = 1 });
    }

    [Fact]
    public async Task Bad_member_and_appointment_input_is_a_400_naming_each_field()
    {
        using var admin = Admin();
        var member = await admin.PostAsJsonAsync("/v1/members", new { displayName = "", email = "not-an-email", issuer = "https://login.example" });
        member.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await member.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Keys.Should().Contain(["displayName", "email", "issuer"]);

        var invited = await InviteAsync(admin);
        var appointment = await admin.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA1}/appointments",
            new { memberId = invited.Id, role = "captain", startsOn = "2025-09-01", endsOn = "2025-08-01", jobTitle = new string('x', 121) });
        appointment.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await appointment.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Keys.Should().Contain(["role", "endsOn", "jobTitle"]);
    }

    [Fact]
    public async Task An_email_another_member_has_is_refused_on_email()
    {
        using var admin = Admin();
        var first = await InviteAsync(admin);
        var again = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Twin", email = first.Email.ToUpperInvariant() });
        again.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await again.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Should().ContainKey("email");
    }

    [Fact]
    public async Task An_invite_retried_with_the_same_idempotency_key_returns_the_first_member_and_another_body_is_refused()
    {
        using var admin = Admin();
        var key = Guid.NewGuid().ToString();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var body = new { displayName = "Retried", email = $"retried.{tag}@school.example" };

        var first = await SendWithKeyAsync(admin, key, body);
        var retry = await SendWithKeyAsync(admin, key, body);
        var other = await SendWithKeyAsync(admin, key, new { displayName = "Other", email = $"other.{tag}@school.example" });

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        other.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var page = await admin.GetFromJsonAsync<Page<MemberResponse>>("/v1/members?limit=200", Json.Options);
        page!.Items.Count(m => m.Email.Contains(tag, StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public async Task A_headteacher_appoints_staff_at_their_school_but_never_a_headteacher_or_the_chair()
    {
        using var head = Head(fixture.SchoolA1);
        var member = await InviteAsync(head);

        var staff = await head.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA1}/appointments",
            new { memberId = member.Id, role = AppointmentRoles.EsafetyTeam, startsOn = "2025-09-01", jobTitle = "Computing Lead" });
        var headteacher = await head.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA1}/appointments", new { memberId = member.Id, role = "headteacher", startsOn = "2025-09-01" });
        var chair = await head.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA1}/appointments", new { memberId = member.Id, role = "chair", startsOn = "2025-09-01" });
        var elsewhere = await head.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA2}/appointments", new { memberId = member.Id, role = "staff", startsOn = "2025-09-01" });

        staff.StatusCode.Should().Be(HttpStatusCode.Created);
        (await staff.Content.ReadFromJsonAsync<AppointmentResponse>(Json.Options))!.Should().BeEquivalentTo(
            new { MemberId = member.Id, SchoolId = fixture.SchoolA1, Role = "esafety_team", JobTitle = "Computing Lead", DisplayName = member.DisplayName });
        headteacher.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await headteacher.Content.ReadAsStringAsync()).Should().Contain(MemberAccess.TrustAppoints);
        chair.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        elsewhere.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_headteacher_may_not_change_a_member_who_also_holds_a_post_at_another_school()
    {
        using var admin = Admin();
        var (memberId, _) = await MemberAppointedAsync(admin, fixture.SchoolA1, "staff");
        (await admin.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA2}/appointments", new { memberId, role = "dsl", startsOn = "2025-09-01" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        using var head = Head(fixture.SchoolA1);
        var member = (await head.GetFromJsonAsync<MemberResponse>($"/v1/members/{memberId}", Json.Options))!;

        var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/members/{memberId}") { Content = JsonContent.Create(new { displayName = "Renamed", email = member.Email }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await head.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain(MemberAccess.MemberBeyondSchool);
    }

    [Fact]
    public async Task A_member_update_needs_the_current_etag_and_raises_the_version()
    {
        using var admin = Admin();
        var member = await InviteAsync(admin);
        var body = new { displayName = "Renamed", email = member.Email, subject = "oid-renamed-" + member.Id, staffId = Guid.NewGuid() };

        (await PutAsync(admin, $"/v1/members/{member.Id}", body, null)).StatusCode.Should().Be(HttpStatusCode.PreconditionRequired);
        (await PutAsync(admin, $"/v1/members/{member.Id}", body, "\"7\"")).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        var updated = await PutAsync(admin, $"/v1/members/{member.Id}", body, "\"1\"");

        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        (await updated.Content.ReadFromJsonAsync<MemberResponse>(Json.Options))!.Should().BeEquivalentTo(new { DisplayName = "Renamed", StaffId = (Guid?)body.staffId, Version = 2 });
    }

    [Fact]
    public async Task Another_trusts_member_and_appointment_are_not_found()
    {
        using var admin = Admin();
        var (memberId, appointmentId) = await MemberAppointedAsync(admin, fixture.SchoolA1, "staff");
        using var other = Admin(fixture.TrustB);

        (await other.GetAsync($"/v1/members/{memberId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.GetAsync($"/v1/schools/{fixture.SchoolA1}/appointments/{appointmentId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.PostAsJsonAsync($"/v1/schools/{fixture.SchoolB1}/appointments", new { memberId, role = "staff", startsOn = "2025-09-01" }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "the member is named in the body: another trust's member is no member of this trust");
    }

    [Fact]
    public async Task A_second_appointment_to_the_same_post_on_overlapping_days_is_a_conflict()
    {
        using var admin = Admin();
        var (memberId, _) = await MemberAppointedAsync(admin, fixture.SchoolA1, "dsl");
        var again = await admin.PostAsJsonAsync($"/v1/schools/{fixture.SchoolA1}/appointments", new { memberId, role = "dsl", startsOn = "2026-01-01" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Ending_a_post_publishes_appointment_ended_and_an_ended_post_stays_ended()
    {
        await using var ended = await EventProbe<AppointmentEnded>.StartAsync(fixture.Servers);
        using var admin = Admin();
        var (memberId, appointmentId) = await MemberAppointedAsync(admin, fixture.SchoolA1, "dsl");
        var path = $"/v1/schools/{fixture.SchoolA1}/appointments/{appointmentId}";

        var end = await DeleteAsync(admin, path, "\"1\"");
        end.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await end.Content.ReadFromJsonAsync<AppointmentResponse>(Json.Options))!;
        body.EndedAt.Should().NotBeNull();
        body.EndReason.Should().Be("ended");
        (await DeleteAsync(admin, path, "\"2\"")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await PutAsync(admin, path, new { startsOn = "2025-09-01", jobTitle = "Back again" }, "\"2\"")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var current = await admin.GetFromJsonAsync<Page<AppointmentResponse>>($"/v1/schools/{fixture.SchoolA1}/appointments?limit=200", Json.Options);
        current!.Items.Should().NotContain(a => a.Id == appointmentId);
        var all = await admin.GetFromJsonAsync<Page<AppointmentResponse>>($"/v1/schools/{fixture.SchoolA1}/appointments?limit=200&includeEnded=true", Json.Options);
        all!.Items.Should().Contain(a => a.Id == appointmentId);

        await Eventually.Until(() => Task.FromResult(ended.Received.Any(e => e.AppointmentId == appointmentId)), seen => seen, because: "AppointmentEnded is published");
        ended.Received.Single(e => e.AppointmentId == appointmentId).Should().BeEquivalentTo(
            new { MemberId = memberId, SchoolId = (Guid?)fixture.SchoolA1, Role = "dsl", Reason = "ended" });
    }

    [Fact]
    public async Task The_trusts_last_trust_admin_cannot_be_ended_but_one_of_two_can()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Trust with one admin");
        using var admin = Admin(trust);
        var posts = (await admin.GetFromJsonAsync<Page<AppointmentResponse>>("/v1/trust-appointments", Json.Options))!.Items;
        posts.Should().ContainSingle(a => a.Role == "trust_admin" && a.SchoolId == null);

        (await DeleteAsync(admin, $"/v1/trust-appointments/{posts[0].Id}", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var second = await InviteAsync(admin);
        var appointed = await admin.PostAsJsonAsync("/v1/trust-appointments", new { memberId = second.Id, startsOn = "2025-09-01", jobTitle = "Chief executive" });
        appointed.StatusCode.Should().Be(HttpStatusCode.Created);
        (await DeleteAsync(admin, $"/v1/trust-appointments/{posts[0].Id}", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/members") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string path, object body, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request);
    }
}
