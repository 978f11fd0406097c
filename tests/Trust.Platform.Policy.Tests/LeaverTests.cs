using System.Net;
using System.Net.Http.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Features.People;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>Training's StaffLeft ends the leaver's posts at that school and asks for their headteacher to be told.</summary>
[Collection(PolicyCollection.Name)]
public sealed class LeaverTests(PolicyFixture fixture)
{
    [Fact]
    public async Task A_leaver_loses_their_posts_at_that_school_only_and_member_left_names_the_school_and_the_posts()
    {
        await using var left = await EventProbe<MemberLeft>.StartAsync(fixture.Servers);
        await using var ended = await EventProbe<AppointmentEnded>.StartAsync(fixture.Servers);
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var staffId = Guid.NewGuid();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var invited = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Leaver " + tag, email = $"leaver.{tag}@school.example", staffId });
        await Http.EnsureSuccessAsync(invited);
        var memberId = (await invited.Content.ReadFromJsonAsync<MemberResponse>(Json.Options))!.Id;
        var dsl = await AppointAsync(admin, fixture.SchoolA1, memberId, "deputy_dsl");
        var team = await AppointAsync(admin, fixture.SchoolA1, memberId, "esafety_team");
        var elsewhere = await AppointAsync(admin, fixture.SchoolA2, memberId, "staff");
        var head = await MemberAsync(admin, "Head " + tag, MailPickup.Address("head"));
        await AppointAsync(admin, fixture.SchoolA1, head.Id, "headteacher");
        var otherHead = await MemberAsync(admin, "Other head " + tag, MailPickup.Address("head"));
        await AppointAsync(admin, fixture.SchoolA2, otherHead.Id, "headteacher");

        var leaveDate = TestClock.Today;
        await fixture.Servers.PublishAsync(new StaffLeft(Guid.NewGuid(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, staffId, leaveDate));

        var message = await Eventually.Until(() => Task.FromResult(left.Received.FirstOrDefault(m => m.MemberId == memberId)), m => m is not null,
            because: "MemberLeft is published for the headteacher");
        message!.Should().BeEquivalentTo(new { SchoolId = fixture.SchoolA1, StaffId = staffId, LeaveDate = leaveDate });
        message.EndedRoles.Should().BeEquivalentTo(["deputy_dsl", "esafety_team"]);
        await Eventually.Until(() => Task.FromResult(ended.Received.Count(e => e.MemberId == memberId)), n => n == 2, because: "both posts end");
        ended.Received.Where(e => e.MemberId == memberId).Should().AllSatisfy(e => e.Reason.Should().Be("left"));

        var told = await MailPickup.WaitForAsync(head.Email);
        told.Should().ContainSingle();
        told[0].Subject.Should().Be($"Leaver {tag} has left School A1");
        told[0].TextBody.Should().Contain("Their posts there have ended: deputy dsl, esafety team.");
        MailPickup.Delivered(otherHead.Email).Should().BeEmpty("only the school the person left is told");

        foreach (var (school, id, endReason) in new[] { (fixture.SchoolA1, dsl, "left"), (fixture.SchoolA1, team, "left"), (fixture.SchoolA2, elsewhere, (string?)null) })
        {
            var post = await admin.GetFromJsonAsync<AppointmentResponse>($"/v1/schools/{school}/appointments/{id}", Json.Options);
            post!.EndReason.Should().Be(endReason, "a leaver leaves one school, not the trust");
        }
    }

    [Fact]
    public async Task A_roster_person_who_is_no_member_changes_nothing()
    {
        await using var left = await EventProbe<MemberLeft>.StartAsync(fixture.Servers);
        var staffId = Guid.NewGuid();
        await fixture.Servers.PublishAsync(new StaffLeft(Guid.NewGuid(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, staffId, TestClock.Today));
        // A member's leaving, published after, arrives; the stranger's never does.
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var known = Guid.NewGuid();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var invited = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Known " + tag, email = $"known.{tag}@school.example", staffId = known });
        await Http.EnsureSuccessAsync(invited);
        await fixture.Servers.PublishAsync(new StaffLeft(Guid.NewGuid(), fixture.TrustA, fixture.SchoolA1, TestClock.Now, known, TestClock.Today));

        await Eventually.Until(() => Task.FromResult(left.Received.Any(m => m.StaffId == known)), seen => seen, because: "the member's leaving is published");
        left.Received.Should().NotContain(m => m.StaffId == staffId);
    }

    private static async Task<(Guid Id, string Email)> MemberAsync(HttpClient admin, string name, string email)
    {
        var invited = await admin.PostAsJsonAsync("/v1/members", new { displayName = name, email });
        await Http.EnsureSuccessAsync(invited);
        return ((await invited.Content.ReadFromJsonAsync<MemberResponse>(Json.Options))!.Id, email);
    }

    private static async Task<Guid> AppointAsync(HttpClient admin, Guid school, Guid memberId, string role)
    {
        var response = await admin.PostAsJsonAsync($"/v1/schools/{school}/appointments", new { memberId, role, startsOn = "2025-09-01" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<AppointmentResponse>(Json.Options))!.Id;
    }
}
