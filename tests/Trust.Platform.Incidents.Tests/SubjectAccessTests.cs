using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>The subject access export of Incidents: every case about one pupil, nothing about another.</summary>
public sealed class SubjectAccessTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private sealed record Pupil(string MisId, Guid Open, Guid Restricted);

    private static string About(string misId, string type, string summary) => type == "inappropriate_content"
        ? JsonSerializer.Serialize(new
        {
            type, summary, subject = new { kind = "pupil", misId },
            inappropriateContent = new { date = TestClock.Day(TestClock.Today), fullUrls = new[] { "https://games.example/x" }, natureOfContent = "Violent game" },
        })
        : JsonSerializer.Serialize(new { type, summary, subject = new { kind = "pupil", misId } });

    /// <summary>Two cases about a pupil: one anyone leading the school reads, one restricted (safeguarding, for the DSL).</summary>
    private async Task<Pupil> PupilWithCasesAsync(string name)
    {
        var misId = $"MIS-{name}-{Guid.NewGuid():N}"[..30];
        var open = await ReportAsync(host, Staff(host), About(misId, "inappropriate_content", $"{name} opened a gaming site"));
        var restricted = await ReportAsync(host, Staff(host), About(misId, "pupil_conduct_concern", $"{name} shared images"));
        return new Pupil(misId, open, restricted);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ExportAsync(Trust.Platform.Hosting.Auth.DevUser user, string query)
    {
        using var client = host.Service.ClientFor(user);
        var response = await client.GetAsync($"/v1/schools/{host.School}/subject-access?{query}");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static List<Guid> CaseIds(JsonElement export) =>
        export.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("case").GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task The_dsls_export_holds_every_case_about_the_pupil_with_its_timeline_and_nothing_about_another_pupil()
    {
        var pupil = await PupilWithCasesAsync("Ann");
        var other = await PupilWithCasesAsync("Bob");

        var (status, export) = await ExportAsync(Dsl(host), $"misId={pupil.MisId}");

        status.Should().Be(HttpStatusCode.OK);
        CaseIds(export).Should().BeEquivalentTo([pupil.Open, pupil.Restricted]);
        export.GetProperty("cases").EnumerateArray().Should().OnlyContain(c => c.GetProperty("timeline").GetArrayLength() >= 1);
        var text = export.GetRawText();
        text.Should().NotContain(other.MisId).And.NotContain("Bob").And.NotContain(other.Open.ToString()).And.NotContain(other.Restricted.ToString());
    }

    [Fact]
    public async Task The_headteachers_export_leaves_out_the_restricted_cases()
    {
        var pupil = await PupilWithCasesAsync("Cat");

        var (status, export) = await ExportAsync(Head(host), $"misId={pupil.MisId}");

        status.Should().Be(HttpStatusCode.OK);
        CaseIds(export).Should().Equal(pupil.Open);
    }

    [Fact]
    public async Task Every_export_is_logged_with_who_asked_as_what_and_how_many_cases_went_out()
    {
        var pupil = await PupilWithCasesAsync("Eve");

        await ExportAsync(Dsl(host), $"misId={pupil.MisId}");
        await ExportAsync(Head(host), $"misId={pupil.MisId}");

        using var head = host.Service.ClientFor(Head(host));
        await SubjectAccessLogCheck.ShouldHoldAsync(head, host.School,
            ("pupil", pupil.MisId, Dsl(host), Trust.Platform.Hosting.Auth.Roles.Dsl, 2),
            ("pupil", pupil.MisId, Head(host), Trust.Platform.Hosting.Auth.Roles.Headteacher, 1));
    }

    [Fact]
    public async Task Each_case_in_an_export_is_audited()
    {
        var pupil = await PupilWithCasesAsync("Dan");
        await ExportAsync(Dsl(host), $"misId={pupil.MisId}");

        using var dsl = host.Service.ClientFor(Dsl(host));
        var audit = await dsl.GetFromJsonAsync<JsonElement>($"/v1/schools/{host.School}/case-audit?caseId={pupil.Restricted}");
        audit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()).Should().Contain("subject_access");
    }

    [Fact]
    public async Task An_export_without_a_person_is_refused_naming_the_field()
    {
        var (status, body) = await ExportAsync(Dsl(host), "");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("errors").TryGetProperty("misId", out _).Should().BeTrue();
    }

    [Fact]
    public async Task A_staff_members_export_holds_the_cases_about_them()
    {
        var rosterId = Guid.CreateVersion7();
        var id = await ReportAsync(host, Staff(host), JsonSerializer.Serialize(new
        {
            type = "staff_conduct_concern", summary = "A member of staff follows pupils", subject = new { kind = "staff", rosterId },
        }));

        var (status, export) = await ExportAsync(Head(host), $"rosterId={rosterId}");

        status.Should().Be(HttpStatusCode.OK);
        CaseIds(export).Should().Equal(id);
    }
}
