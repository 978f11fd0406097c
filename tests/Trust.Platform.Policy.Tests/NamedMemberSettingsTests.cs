using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// The named-role settings point at members of the trust's directory: a school names as its DSLs only members appointed
/// there as DSL or deputy, their names and roster ids are the directory's, and a publication carries the name the member
/// has at that moment.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class NamedMemberSettingsTests(PolicyFixture fixture)
{
    private async Task<(Guid Id, Guid StaffId)> MemberAsync(HttpClient admin, string name, string? post, Guid school)
    {
        var staffId = Guid.NewGuid();
        var created = await admin.PostAsJsonAsync("/v1/members", new { displayName = name, email = MailPickup.Address("named"), staffId });
        await Http.EnsureSuccessAsync(created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        if (post is not null)
        {
            await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/schools/{school}/appointments", new { memberId = id, role = post, startsOn = TestClock.Day(TestClock.Today) }));
        }

        return (id, staffId);
    }

    [Fact]
    public async Task A_school_names_an_appointed_deputy_among_its_dsls_and_the_directory_fills_the_name_and_roster_id()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.TrustA, fixture.SchoolA1));
        var tag = Guid.NewGuid().ToString("N")[..6];
        var deputy = await MemberAsync(admin, "Deputy " + tag, "deputy_dsl", fixture.SchoolA1);
        var elsewhere = await MemberAsync(admin, "Elsewhere " + tag, "dsl", fixture.SchoolA2);
        var path = $"/v1/schools/{fixture.SchoolA1}/policy/overrides/roles.dsls";

        var saved = await PolicyFixture.PutAsync(head, path, new JsonObject { ["value"] = new JsonArray(new JsonObject { ["memberId"] = deputy.Id.ToString() }) });
        var person = (await saved.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.AsArray().Single()!;
        person["name"]!.GetValue<string>().Should().Be("Deputy " + tag);
        person["staffId"]!.GetValue<string>().Should().Be(deputy.StaffId.ToString());

        var notHere = await PolicyFixture.PutAsync(head, path,
            new JsonObject { ["value"] = new JsonArray(new JsonObject { ["memberId"] = elsewhere.Id.ToString() }) }, ensureSuccess: false);
        notHere.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = (await notHere.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["rule"]!.GetValue<string>().Should().Be(NamedMembers.NotAppointedRule);
        problem["errors"]!.AsObject().Should().ContainKey("value[0].memberId");

        var nobody = await PolicyFixture.PutAsync(head, path,
            new JsonObject { ["value"] = new JsonArray(new JsonObject { ["memberId"] = Guid.NewGuid().ToString() }) }, ensureSuccess: false);
        nobody.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await nobody.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("value[0].memberId");

        // The refusals stored nothing: the deputy is still the one named.
        var current = await head.GetFromJsonAsync<JsonObject>($"/v1/schools/{fixture.SchoolA1}/policy/effective");
        current!.ToJsonString().Should().Contain("Deputy " + tag).And.NotContain("Elsewhere " + tag).And.NotContain(elsewhere.Id.ToString());
    }

    [Fact]
    public async Task A_publication_carries_the_name_a_named_member_has_when_it_is_published()
    {
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.SeededTrust));
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, fixture.SeededTrust, fixture.Mellers));
        var tag = Guid.NewGuid().ToString("N")[..6];
        var lead = await MemberAsync(admin, "E-safety lead " + tag, "esafety_team", fixture.Mellers);
        await PolicyFixture.PutAsync(head, $"/v1/schools/{fixture.Mellers}/policy/overrides/roles.esafety_team",
            new JsonObject { ["value"] = new JsonArray(new JsonObject { ["memberId"] = lead.Id.ToString(), ["jobTitle"] = "Computing lead" }) });

        var read = await admin.GetAsync($"/v1/members/{lead.Id}");
        await Http.EnsureSuccessAsync(read);
        using (var rename = new HttpRequestMessage(HttpMethod.Put, $"/v1/members/{lead.Id}")
        {
            Content = JsonContent.Create(new { displayName = "Renamed lead " + tag, email = MailPickup.Address("named"), staffId = lead.StaffId }),
        })
        {
            rename.Headers.IfMatch.Add(read.Headers.ETag!);
            await Http.EnsureSuccessAsync(await admin.SendAsync(rename));
        }

        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "minor", summary = "E-safety team named from the directory " + tag });
        await Http.EnsureSuccessAsync(draft);
        var versionId = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/policy/versions/{versionId}/approve",
            new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) }));
        await Http.EnsureSuccessAsync(await admin.PostAsync($"/v1/policy/versions/{versionId}/publish", null));

        var published = await Eventually.Until(() => Task.FromResult(fixture.Published.FirstOrDefault(p => p.PolicyVersionId == versionId && p.SchoolId == fixture.Mellers)),
            p => p is not null, because: "the version is published to Mellers");
        published!.Routing.ESafetyTeam.Should().ContainSingle().Which.Should().Be(new Contracts.NamedPerson("Renamed lead " + tag, "Computing lead", lead.StaffId));
    }
}
