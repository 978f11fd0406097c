using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

/// <summary>The subject access export of Training: everything about one member of staff, nothing about a colleague.</summary>
public sealed class SubjectAccessTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private DevUser Head(Guid school) => new("head-" + school, "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]);

    private async Task<(HttpStatusCode Status, JsonElement Body)> ExportAsync(DevUser user, Guid school, string query)
    {
        using var client = host.Service.ClientFor(user);
        var response = await client.GetAsync($"/v1/schools/{school}/subject-access?{query}");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A member of staff with a completion and an acknowledgement of the school's published policy.</summary>
    private async Task<Guid> StaffWithRecordsAsync(Guid school, string misId, Guid course, Guid policyVersionId)
    {
        using var admin = host.AdminClient();
        var person = await host.PersonIdAsync(school, misId);
        await Http.EnsureSuccessAsync(await admin.CompleteAsync(school, person, course, TestClock.Today));
        using var self = host.SelfClient(school, person);
        await Http.EnsureSuccessAsync(await self.PostAsJsonAsync($"/v1/schools/{school}/people/{person}/acknowledgements", new { policyVersionId }));
        return person;
    }

    [Fact]
    public async Task The_export_holds_the_staff_members_roster_entry_completions_and_acknowledgements_and_nothing_about_a_colleague()
    {
        var school = await host.NewSchoolAsync();
        using var admin = host.AdminClient();
        await admin.SyncAsync(school, [TrainingKit.Row("SAR-ANN", "Ann Example"), TrainingKit.Row("SAR-BOB", "Bob Other")]);
        var published = PolicyKit.Published(host.Trust, school, "1.0", major: true);
        await host.PublishPolicyAsync(published);
        var course = await host.CourseAsync("sar_course", validityMonths: 12);
        var ann = await StaffWithRecordsAsync(school, "SAR-ANN", course, published.PolicyVersionId);
        var bob = await StaffWithRecordsAsync(school, "SAR-BOB", course, published.PolicyVersionId);

        var (status, export) = await ExportAsync(Head(school), school, $"rosterId={ann}");

        status.Should().Be(HttpStatusCode.OK);
        export.GetProperty("rosterId").GetGuid().Should().Be(ann);
        export.GetProperty("person").GetProperty("displayName").GetString().Should().Be("Ann Example");
        export.GetProperty("completions").EnumerateArray().Select(c => c.GetProperty("personId").GetGuid()).Should().Equal(ann);
        export.GetProperty("acknowledgements").EnumerateArray().Select(a => a.GetProperty("personId").GetGuid()).Should().Equal(ann);
        export.GetRawText().Should().NotContain("Bob").And.NotContain("SAR-BOB").And.NotContain(bob.ToString());
        var records = 1 + new[] { "completions", "acknowledgements", "sheets", "triggeredRequirements" }.Sum(p => export.GetProperty(p).GetArrayLength());
        using var reader = host.Service.ClientFor(Head(school));
        await SubjectAccessLogCheck.ShouldHoldAsync(reader, school, ("staff", ann.ToString(), Head(school), Roles.Headteacher, records));
    }

    [Fact]
    public async Task Another_schools_headteacher_is_answered_404()
    {
        var school = await host.NewSchoolAsync();
        var elsewhere = await host.NewSchoolAsync();
        using var admin = host.AdminClient();
        await admin.SyncAsync(school, [TrainingKit.Row("SAR-CAT")]);
        var person = await host.PersonIdAsync(school, "SAR-CAT");

        var (status, _) = await ExportAsync(Head(elsewhere), school, $"rosterId={person}");

        status.Should().Be(HttpStatusCode.NotFound);
        using var stranger = host.Service.ClientFor(Head(elsewhere));
        await SubjectAccessLogCheck.ShouldBeHiddenFromAsync(stranger, school);
        using var reader = host.Service.ClientFor(Head(school));
        await SubjectAccessLogCheck.ShouldHoldNothingAboutAsync(reader, school, person.ToString()); // refused: nothing exported, nothing logged
    }

    [Fact]
    public async Task A_pupils_mis_id_is_refused_naming_the_field_since_training_keeps_no_pupils()
    {
        var school = await host.NewSchoolAsync();

        var (status, body) = await ExportAsync(host.Admin(), school, "misId=PUPIL-1");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("errors").GetProperty("misId")[0].GetString().Should().Contain("no records about pupils");
    }

    [Fact]
    public async Task An_export_without_a_person_is_refused_naming_the_field()
    {
        var school = await host.NewSchoolAsync();

        var (status, body) = await ExportAsync(host.Admin(), school, "");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("errors").TryGetProperty("rosterId", out _).Should().BeTrue();
    }
}
