using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The subject access export of the register: everything about one member of staff, nothing about a colleague's accounts.</summary>
public sealed class SubjectAccessTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private readonly AccountsWorld _world = new(host);

    private async Task<(HttpStatusCode Status, JsonElement Body)> ExportAsync(DevUser user, Guid school, string query)
    {
        using var client = _world.Client(user);
        var response = await client.GetAsync($"/v1/schools/{school}/subject-access?{query}");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<Guid> PostAsync(Guid school, Guid account, Guid author)
    {
        using var client = _world.Client(_world.Staff(school, author));
        var response = await client.PostAsJsonAsync($"/v1/accounts/{account}/posts",
            new { text = "Sports day is on Friday.", category = "events", publishAt = TestClock.Now.AddDays(2) });
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static List<Guid> Ids(JsonElement export, string list) =>
        export.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task The_export_holds_the_applications_accounts_and_posts_of_the_staff_member_and_nothing_of_a_colleagues_account()
    {
        var school = await _world.NewSchoolAsync();
        var (application, account, administrators, _) = await _world.ApprovedAccountAsync(school, "SarOwnNews");
        var (otherApplication, otherAccount, others, _) = await _world.ApprovedAccountAsync(school, "SarOtherNews");
        var person = administrators[0];
        var post = await PostAsync(school, account, person);
        var otherPost = await PostAsync(school, otherAccount, others[0]);

        var (status, export) = await ExportAsync(_world.Head(school), school, $"rosterId={person}");

        status.Should().Be(HttpStatusCode.OK);
        export.GetProperty("rosterId").GetGuid().Should().Be(person);
        export.GetProperty("staff").GetProperty("displayName").GetString().Should().Be("Alex Brown");
        export.GetProperty("staff").GetProperty("training").GetArrayLength().Should().Be(1);
        Ids(export, "applications").Should().Equal(application);
        Ids(export, "accounts").Should().Equal(account);
        Ids(export, "posts").Should().Equal(post);
        export.GetRawText().Should().NotContain(others[0].ToString()).And.NotContain(others[1].ToString())
            .And.NotContain(otherAccount.ToString()).And.NotContain(otherApplication.ToString()).And.NotContain(otherPost.ToString())
            .And.NotContain("SarOtherNews");
        var records = 1 + new[] { "applications", "accounts", "posts" }.Sum(p => export.GetProperty(p).GetArrayLength());
        using var reader = _world.Client(_world.Admin);
        await SubjectAccessLogCheck.ShouldHoldAsync(reader, school, ("staff", person.ToString(), _world.Head(school), Roles.Headteacher, records));
    }

    [Fact]
    public async Task The_export_holds_the_applications_and_posts_a_person_decided()
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, administrators, _) = await _world.ApprovedAccountAsync(school, "SarDecided");
        var post = await PostAsync(school, account, administrators[0]);
        using var applicant = _world.Client(_world.Staff(school, administrators[0]));
        var pending = (await _world.ApplyAsync(applicant, AccountsWorld.Application(school, administrators, "SarDecidedToo")))["id"]!.GetValue<Guid>();
        var approver = await _world.JoinAsync(school, "Dee Cider");
        using var officer = _world.Client(new DevUser("mo-" + approver, "Dee Cider", host.Trust, [$"{Roles.MarketingOfficer}:{school}"], approver));
        await Http.EnsureSuccessAsync(await officer.PostAsJsonAsync($"/v1/posts/{post}/decision",
            new { outcome = "approve", toneConfirmed = new[] { "professional", "respectful", "balanced" } }));
        await Http.EnsureSuccessAsync(await AccountsWorld.DecideAsync(officer, pending, "marketing_officer", "approve"));

        var (status, export) = await ExportAsync(_world.Admin, school, $"rosterId={approver}");

        status.Should().Be(HttpStatusCode.OK);
        Ids(export, "posts").Should().Equal(post);
        Ids(export, "applications").Should().Equal(pending);
        export.GetProperty("accounts").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Another_schools_headteacher_is_answered_404()
    {
        var school = await _world.NewSchoolAsync();
        var elsewhere = await _world.NewSchoolAsync();
        var person = await _world.JoinAsync(school, "Cat Example");

        var (status, _) = await ExportAsync(_world.Head(elsewhere), school, $"rosterId={person}");

        status.Should().Be(HttpStatusCode.NotFound);
        using var stranger = _world.Client(_world.Head(elsewhere));
        await SubjectAccessLogCheck.ShouldBeHiddenFromAsync(stranger, school);
        using var reader = _world.Client(_world.Head(school));
        await SubjectAccessLogCheck.ShouldHoldNothingAboutAsync(reader, school, person.ToString()); // refused: nothing exported, nothing logged
    }

    [Fact]
    public async Task A_pupils_mis_id_is_refused_naming_the_field_since_the_register_keeps_no_pupils()
    {
        var school = await _world.NewSchoolAsync();

        var (status, body) = await ExportAsync(_world.Admin, school, "misId=PUPIL-1");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("errors").GetProperty("misId")[0].GetString().Should().Contain("no records about pupils");
    }

    [Fact]
    public async Task An_export_naming_two_people_is_refused_naming_the_field()
    {
        var school = await _world.NewSchoolAsync();

        var (status, body) = await ExportAsync(_world.Admin, school, $"misId=PUPIL-1&rosterId={Guid.CreateVersion7()}");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("errors").TryGetProperty("rosterId", out _).Should().BeTrue();
    }
}
