using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>
/// 001 l.98-102: whistle-blowing and grievance go to the school's escalation contacts (setting escalation.contacts),
/// never to the school's line of management nor to the person they are about; on real PostgreSQL and RabbitMQ.
/// </summary>
public sealed class EscalationContactTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private static string Whistleblowing(object? subject = null) => JsonSerializer.Serialize(new
    {
        type = "whistleblowing",
        summary = "Trip money collected on the school page is not reaching the school account",
        subject = subject ?? new { kind = "unknown" },
    });

    /// <summary>A school of its own whose published policy names these escalation contacts and this headteacher.</summary>
    private async Task<Guid> SchoolWithContactsAsync(NamedPerson? head, params NamedPerson[] contacts)
    {
        var school = Guid.CreateVersion7();
        await host.AddSchoolAsync(host.Trust, school, "Escalation School", 1);
        var published = CaseTests.Published(host.Trust, school, 48, head);
        await host.PublishAsync(published with { Routing = published.Routing with { EscalationContacts = contacts } });
        using var client = host.Service.ClientFor(new DevUser("admin-esc", "Admin", host.Trust, [Roles.TrustAdmin]));
        // The school reaches the directory replica and the publication the policy view, each in its own time (404 until then).
        await Eventually.Until(async () => await (await client.GetAsync($"/v1/schools/{school}/incident-policy")).Content.ReadAsStringAsync(),
            b => b.Contains("policy 2.0", StringComparison.Ordinal), because: "the publication reaches the policy view");
        return school;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(DevUser user, HttpMethod method, string path, string? body = null)
    {
        using var client = host.Service.ClientFor(user);
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task A_whistleblowing_report_is_assigned_to_the_schools_escalation_contact_and_hidden_from_the_school_and_trust_roles()
    {
        var contactId = Guid.CreateVersion7();
        var school = await SchoolWithContactsAsync(null, new NamedPerson("Whistle-blowing officer", null, contactId));
        var contact = new DevUser("contact-esc", "Contact", host.Trust, [$"{Roles.Staff}:{school}"], contactId);

        var id = await ReportAsync(host, new DevUser("staff-esc", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]), Whistleblowing(), school);

        var (status, body) = await SendAsync(contact, HttpMethod.Get, $"/v1/cases/{id}");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("assignedRole").GetString().Should().Be("escalation_contact");
        body.GetProperty("restricted").GetBoolean().Should().BeTrue();
        var listed = (await SendAsync(contact, HttpMethod.Get, $"/v1/schools/{school}/cases?limit=200")).Body;
        listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Should().Contain(id);

        foreach (var other in new[]
        {
            new DevUser("head-esc", "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]),
            new DevUser("dsl-esc", "DSL", host.Trust, [$"{Roles.Dsl}:{school}"]),
            new DevUser("chair-esc", "Chair", host.Trust, [Roles.Chair]),
            new DevUser("admin-esc", "Admin", host.Trust, [Roles.TrustAdmin]),
        })
        {
            (await SendAsync(other, HttpMethod.Get, $"/v1/cases/{id}")).Status.Should().Be(HttpStatusCode.NotFound, because: $"{other.Subject} is not an escalation contact");
        }

        // The contact's read is audited; the school's DSL and the trust admin, who oversee other cases' reads, do not see it.
        foreach (var overseer in new[] { new DevUser("dsl-esc", "DSL", host.Trust, [$"{Roles.Dsl}:{school}"]), new DevUser("admin-esc", "Admin", host.Trust, [Roles.TrustAdmin]) })
        {
            var audit = (await SendAsync(overseer, HttpMethod.Get, $"/v1/schools/{school}/case-audit?limit=200")).Body;
            audit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseId").GetGuid()).Should().NotContain(id);
        }
    }

    [Fact]
    public async Task A_grievance_at_a_school_whose_policy_names_no_escalation_contact_is_refused_with_the_rule_named()
    {
        var school = await SchoolWithContactsAsync(null);
        var (status, body) = await SendAsync(new DevUser("staff-esc2", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]), HttpMethod.Post,
            $"/v1/schools/{school}/cases", """{"type": "grievance", "summary": "A decision about my timetable affects me personally"}""");
        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("rule").GetString().Should().Be("incidents.escalation_contact_required");
        body.GetProperty("errors").GetProperty("type").EnumerateArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task An_escalation_contact_without_a_staff_id_cannot_receive_a_case_so_the_report_is_refused()
    {
        var school = await SchoolWithContactsAsync(null, new NamedPerson("Grievance officer"));
        var (status, body) = await SendAsync(new DevUser("staff-esc3", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]), HttpMethod.Post,
            $"/v1/schools/{school}/cases", Whistleblowing());
        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("rule").GetString().Should().Be("incidents.escalation_contact_required");
    }

    [Fact]
    public async Task A_whistleblowing_report_about_an_escalation_contact_goes_only_to_the_other_contact()
    {
        var accused = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        var school = await SchoolWithContactsAsync(null, new NamedPerson("Whistle-blowing officer", null, accused), new NamedPerson("Grievance officer", null, other));

        var id = await ReportAsync(host, new DevUser("staff-esc4", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]),
            Whistleblowing(new { kind = "staff", rosterId = accused }), school);

        (await SendAsync(new DevUser("accused-esc", "Accused", host.Trust, [$"{Roles.Staff}:{school}"], accused), HttpMethod.Get, $"/v1/cases/{id}"))
            .Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(new DevUser("other-esc", "Other", host.Trust, [$"{Roles.Staff}:{school}"], other), HttpMethod.Get, $"/v1/cases/{id}"))
            .Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Whistleblowing_about_the_headteacher_who_is_the_only_escalation_contact_is_refused_rather_than_sent_to_them()
    {
        var head = Guid.CreateVersion7();
        var school = await SchoolWithContactsAsync(new NamedPerson("Head", "Headteacher", head), new NamedPerson("Head", "Headteacher", head));
        var (status, body) = await SendAsync(new DevUser("staff-esc5", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]), HttpMethod.Post,
            $"/v1/schools/{school}/cases", Whistleblowing(new { kind = "staff", rosterId = Guid.CreateVersion7(), isHeadteacher = true }));
        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("rule").GetString().Should().Be("incidents.escalation_contact_required");
    }

    [Fact]
    public async Task A_whistleblowing_case_cannot_be_rerouted_to_a_role_of_the_school()
    {
        var contactId = Guid.CreateVersion7();
        var school = await SchoolWithContactsAsync(null, new NamedPerson("Whistle-blowing officer", null, contactId));
        var id = await ReportAsync(host, new DevUser("staff-esc6", "Staff", host.Trust, [$"{Roles.Staff}:{school}"]), Whistleblowing(), school);
        var contactAsChair = new DevUser("contact-chair-esc", "Contact", host.Trust, [$"{Roles.Chair}:{school}"], contactId);

        var (status, body) = await SendAsync(contactAsChair, HttpMethod.Post, $"/v1/cases/{id}/routing", """{"assignedRole": "headteacher", "reason": "For the head"}""");
        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("rule").GetString().Should().Be("incidents.escalation_route_follows_policy");
        (await SendAsync(new DevUser("head-esc6", "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]), HttpMethod.Get, $"/v1/cases/{id}"))
            .Status.Should().Be(HttpStatusCode.NotFound);
    }
}
