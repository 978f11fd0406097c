using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;
using Trust.Platform.Training.Domain.Acknowledgements;

namespace Trust.Platform.Training.Tests;

/// <summary>An acknowledgement records the statements agreed: the acknowledged version's staff rules and journalist rule.</summary>
public sealed class AcknowledgedStatementsTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private async Task<(Guid School, Guid Person, HttpClient Self)> PersonAsync(string mis)
    {
        var school = await host.NewSchoolAsync();
        using var admin = host.AdminClient();
        await admin.SyncAsync(school, [TrainingKit.Row(mis)]);
        var person = await host.PersonIdAsync(school, mis);
        return (school, person, host.SelfClient(school, person));
    }

    private static async Task<JsonElement> AcknowledgeAsync(HttpClient self, Guid school, Guid person, Guid versionId)
    {
        var response = await self.PostAsJsonAsync($"/v1/schools/{school}/people/{person}/acknowledgements", new { policyVersionId = versionId });
        response.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<string> Statements(JsonElement body) => body.GetProperty("statements").EnumerateArray().Select(s => s.GetString()!);

    [Fact]
    public async Task An_acknowledgement_says_what_the_school_s_staff_rules_asked_and_a_get_of_it_says_the_same()
    {
        var (school, person, self) = await PersonAsync("ACK-1");
        using var _ = self;
        // 002 l.167: not in school hours (no use in breaks either); 003 l.98: the media policy for journalists.
        var published = PolicyKit.Published(host.Trust, school, "1.0", major: true) with
        {
            StaffRules = new StaffRuleSettings(false, false, false, false, false),
            Routing = PolicyDefaults.Routing with { JournalistRule = "media_policy" },
        };
        await host.PublishPolicyAsync(published);

        var created = await AcknowledgeAsync(self, school, person, published.PolicyVersionId);
        Statements(created).Should().Equal(
            StaffStatements.ReadAndUnderstood,
            "I will not use my personal social media during lessons.",
            "I will not use my personal social media during breaks.",
            "I will not accept, friend or follow any current pupil on my personal social media accounts.",
            "I will not accept, friend or follow any ex-pupil of the school under the age of 18 on my personal social media accounts.",
            "I will not friend or follow pupils' parents on my personal social media accounts.",
            "If a journalist makes contact about posts on social media, I will follow the school's media policy before responding.");

        using var admin = host.AdminClient();
        var id = created.GetProperty("id").GetGuid();
        var read = await admin.GetJsonAsync($"/v1/schools/{school}/people/{person}/acknowledgements/{id}");
        Statements(read).Should().Equal(Statements(created));
        var listed = await self.GetJsonAsync($"/v1/schools/{school}/people/{person}/acknowledgements");
        Statements(listed.GetProperty("items")[0]).Should().Equal(Statements(created));
    }

    [Fact]
    public async Task A_school_allowing_use_in_breaks_with_the_headteacher_and_chair_rule_records_those_statements()
    {
        var (school, person, self) = await PersonAsync("ACK-2");
        using var _ = self;
        var published = PolicyKit.Published(host.Trust, school, "1.0", major: true) with { StaffRules = PolicyDefaults.StaffRules };
        await host.PublishPolicyAsync(published);

        var statements = Statements(await AcknowledgeAsync(self, school, person, published.PolicyVersionId)).ToList();
        statements.Should().Contain("I may use my personal social media during breaks, away from pupils, reasonably and appropriately.");
        statements.Should().Contain("If a journalist makes contact about posts on social media, I will communicate with the headteacher and the chair of governors before responding.");
    }

    [Fact]
    public async Task Each_version_keeps_its_own_statements_when_the_rules_change_between_versions()
    {
        var (school, person, self) = await PersonAsync("ACK-3");
        using var _ = self;
        var v1 = PolicyKit.Published(host.Trust, school, "1.0", major: true, at: TestClock.Now.AddMinutes(-1)) with { StaffRules = PolicyDefaults.StaffRules };
        await host.PublishPolicyAsync(v1);
        var v2 = PolicyKit.Published(host.Trust, school, "2.0", major: true) with { StaffRules = PolicyDefaults.StaffRules with { PersonalUseInBreaks = false } };
        await host.PublishPolicyAsync(v2);

        Statements(await AcknowledgeAsync(self, school, person, v1.PolicyVersionId)).Should().Contain(s => s.StartsWith("I may use my personal social media during breaks", StringComparison.Ordinal));
        Statements(await AcknowledgeAsync(self, school, person, v2.PolicyVersionId)).Should().Contain("I will not use my personal social media during breaks.");
    }

    [Fact]
    public async Task A_publication_without_staff_rules_records_only_the_statements_it_supports()
    {
        var (school, person, self) = await PersonAsync("ACK-4");
        using var _ = self;
        var published = PolicyKit.Published(host.Trust, school, "1.0", major: true);
        await host.PublishPolicyAsync(published);

        Statements(await AcknowledgeAsync(self, school, person, published.PolicyVersionId)).Should().Equal(
            StaffStatements.ReadAndUnderstood,
            "If a journalist makes contact about posts on social media, I will communicate with the headteacher and the chair of governors before responding.");
    }

    [Fact]
    public async Task Another_persons_acknowledgement_is_not_found_for_a_colleague()
    {
        var (school, person, self) = await PersonAsync("ACK-5");
        using var _ = self;
        var published = PolicyKit.Published(host.Trust, school, "1.0", major: true);
        await host.PublishPolicyAsync(published);
        var id = (await AcknowledgeAsync(self, school, person, published.PolicyVersionId)).GetProperty("id").GetGuid();

        using var admin = host.AdminClient();
        await admin.SyncAsync(school, [TrainingKit.Row("ACK-5"), TrainingKit.Row("ACK-6")]);
        var colleague = await host.PersonIdAsync(school, "ACK-6");
        using var other = host.SelfClient(school, colleague);
        (await other.GetAsync($"/v1/schools/{school}/people/{person}/acknowledgements/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.GetAsync($"/v1/schools/{school}/people/{colleague}/acknowledgements/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
