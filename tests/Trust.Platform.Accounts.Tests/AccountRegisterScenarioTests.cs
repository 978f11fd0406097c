using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;
using static Trust.Platform.Accounts.Tests.AccountsWorld;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The register on real PostgreSQL and RabbitMQ, fed by Policy's and Training's events.</summary>
public sealed class AccountRegisterScenarioTests(ReplicaServiceHost<AccountsService> host, ITestOutputHelper output) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private readonly AccountsWorld _world = new(host);

    [Fact]
    public async Task An_account_is_approved_only_with_ready_administrators_and_a_leaver_makes_it_handover_required_until_replaced_and_rotated()
    {
        var school = await _world.NewSchoolAsync();
        var policy = await _world.PublishPolicyAsync(school, 2);
        var alex = await _world.JoinAsync(school, "Alex Brown");
        var sam = await _world.JoinAsync(school, "Sam Patel");
        await _world.TrainAsync(school, alex);
        await _world.AcknowledgeAsync(school, alex, policy);
        await _world.AcknowledgeAsync(school, sam, policy); // Sam acknowledged but is not trained.

        await using var approvals = await EventProbe<AccountApproved>.StartAsync(_world.Host.Servers);
        using var applicant = _world.Client(_world.Staff(school, alex));
        var application = (await _world.ApplyAsync(applicant, Application(school, [alex, sam])))["id"]!.GetValue<Guid>();
        using var mo = _world.Client(_world.MarketingOfficer(school));
        var first = await DecideAsync(mo, application, "marketing_officer", "approve");
        await Http.EnsureSuccessAsync(first);
        (await first.Content.ReadFromJsonAsync<JsonObject>())!["nextStep"]!.GetValue<string>().Should().Be("headteacher");

        // Final approval is blocked, naming Sam and what Sam lacks (and only Sam, once Alex's events are in).
        using var head = _world.Client(_world.Head(school));
        var blocked = await Eventually.Until(async () =>
        {
            var response = await DecideAsync(head, application, "headteacher", "approve");
            return (response.StatusCode, Problem: response.StatusCode == HttpStatusCode.UnprocessableEntity ? await ProblemAsync(response) : null);
        }, r => r.Problem is not null && Keys(r.Problem).SequenceEqual([$"administrators.{sam}"]) && !r.Problem.ToJsonString().Contains("acknowledgement", StringComparison.Ordinal));
        var reason = blocked.Problem!["errors"]![$"administrators.{sam}"]![0]!.GetValue<string>();
        reason.Should().Contain("Sam Patel").And.Contain("social_media_policy_training");

        await _world.TrainAsync(school, sam);
        var approved = await Eventually.Until(() => DecideAsync(head, application, "headteacher", "approve"), r => r.StatusCode != HttpStatusCode.UnprocessableEntity);
        await Http.EnsureSuccessAsync(approved);
        var body = (await approved.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"]!.GetValue<string>().Should().Be("approved");
        body["decisions"]!.AsArray().Select(d => d!["decidedBy"]!.GetValue<string>()).Should().Equal(_world.MarketingOfficer(school).Subject, _world.Head(school).Subject);
        var account = body["accountId"]!.GetValue<Guid>();

        // AccountApproved left through the outbox: the dispatcher marked it sent once the broker confirmed it.
        var announced = await Eventually.Until(() => _world.OutboxAsync(nameof(AccountApproved), account), rows => rows.Count == 1 && rows[0].Sent);
        announced[0].Body["administratorStaffIds"]!.AsArray().Select(a => a!.GetValue<Guid>()).Should().Equal(alex, sam);
        var onTheWire = await Eventually.Until(() => Task.FromResult(approvals.Received.Where(e => e.AccountId == account).ToList()), e => e.Count > 0,
            because: "AccountApproved reaches a consumer on another bus");
        onTheWire[0].Should().BeEquivalentTo(new { SchoolId = school, Platform = "instagram", Handle = "BasfordArtDept", AdministratorStaffIds = new[] { alex, sam } });

        using var admin = _world.Client(_world.Admin);
        var live = await AccountAsync(admin, account);
        live["status"]!.GetValue<string>().Should().Be("live");
        live.ToJsonString().Should().NotContainAny("password", "Password");

        // Sam leaves: within 5 s the account needs a handover and is below the minimum of 2.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _world.Host.PublishAsync(new StaffLeft(Guid.CreateVersion7(), _world.Trust, school, TestClock.Now, sam, TestClock.UtcToday));
        var flagged = await Eventually.Until(() => AccountAsync(admin, account),
            a => a["handoverRequired"]!.GetValue<bool>() && a["status"]!.GetValue<string>() == "at_risk", timeout: TimeSpan.FromSeconds(5));
        output.WriteLine($"StaffLeft to handover-required and at-risk seen through the API: {clock.ElapsedMilliseconds} ms");
        flagged["rotationRequired"]!.GetValue<bool>().Should().BeTrue();
        flagged["handoverDueOn"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        (await Eventually.Until(() => _world.OutboxAsync(nameof(AccountHandoverRequired), account), rows => rows.Count == 1 && rows[0].Sent))[0]
            .Body["leavingStaffId"]!.GetValue<Guid>().Should().Be(sam);

        // A trained, acknowledged successor restores the minimum; the handover stays open until the credentials are rotated.
        var jo = await _world.JoinAsync(school, "Jo Green");
        await _world.TrainAsync(school, jo);
        await _world.AcknowledgeAsync(school, jo, policy);
        var added = await Eventually.Until(() => mo.PostAsJsonAsync($"/v1/accounts/{account}/administrators", new { staffId = jo }),
            r => r.StatusCode != HttpStatusCode.UnprocessableEntity);
        await Http.EnsureSuccessAsync(added);
        var afterAdd = (await added.Content.ReadFromJsonAsync<JsonObject>())!;
        afterAdd["status"]!.GetValue<string>().Should().Be("live");
        afterAdd["handoverRequired"]!.GetValue<bool>().Should().BeTrue("the credentials Sam knew are not rotated yet");

        var rotated = await mo.PostAsJsonAsync($"/v1/accounts/{account}/rotations",
            new { rotatedOn = TestClock.UtcToday, vaultReference = "vault://school/instagram/art", credentialCustodian = jo });
        await Http.EnsureSuccessAsync(rotated);
        var cleared = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!;
        cleared["handoverRequired"]!.GetValue<bool>().Should().BeFalse();
        cleared["rotationRequired"]!.GetValue<bool>().Should().BeFalse();
        cleared["status"]!.GetValue<string>().Should().Be("live");
        cleared["credentialCustodian"]!.GetValue<Guid>().Should().Be(jo);
    }

    [Fact]
    public async Task An_older_completion_arriving_after_an_expiry_does_not_make_the_administrator_trained()
    {
        var school = await _world.NewSchoolAsync();
        var policy = await _world.PublishPolicyAsync(school, 2);
        var alex = await _world.JoinAsync(school, "Alex Brown");
        var jo = await _world.JoinAsync(school, "Jo Green");
        await _world.TrainAsync(school, alex);
        await _world.AcknowledgeAsync(school, alex, policy);
        await _world.AcknowledgeAsync(school, jo, policy);
        var today = TestClock.UtcToday;
        var expired = new TrainingExpired(Guid.CreateVersion7(), _world.Trust, school, TestClock.Now, jo, Guid.CreateVersion7(), "social_media_policy", today);
        await _world.Host.PublishAsync(expired);
        await _world.WaitForInboxAsync([expired]);
        var late = new TrainingCompleted(Guid.CreateVersion7(), _world.Trust, school, TestClock.Now.AddHours(-1), jo, Guid.CreateVersion7(), "social_media_policy", today.AddYears(-1), today.AddDays(1));
        await _world.Host.PublishAsync(late);
        await _world.WaitForInboxAsync([late]);

        using var applicant = _world.Client(_world.Staff(school, alex));
        var application = (await _world.ApplyAsync(applicant, Application(school, [alex, jo], "BasfordHistory")))["id"]!.GetValue<Guid>();
        using var mo = _world.Client(_world.MarketingOfficer(school));
        await Http.EnsureSuccessAsync(await DecideAsync(mo, application, "marketing_officer", "approve"));
        using var head = _world.Client(_world.Head(school));
        var blocked = await Eventually.Until(async () =>
        {
            var response = await DecideAsync(head, application, "headteacher", "approve");
            return (response.StatusCode, Problem: response.StatusCode == HttpStatusCode.UnprocessableEntity ? await ProblemAsync(response) : null);
        }, r => r.StatusCode != HttpStatusCode.UnprocessableEntity || Keys(r.Problem!).SequenceEqual([$"administrators.{jo}"]));

        blocked.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        blocked.Problem!["errors"]![$"administrators.{jo}"]![0]!.GetValue<string>().Should().Contain("social_media_policy_training");
    }

    [Fact]
    public async Task A_successor_whose_training_has_passed_its_expiry_date_cannot_be_added()
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, _, policy) = await _world.ApprovedAccountAsync(school, "BasfordDance");
        var jo = await _world.JoinAsync(school, "Jo Green");
        await _world.AcknowledgeAsync(school, jo, policy);
        var today = TestClock.UtcToday;
        await _world.Host.PublishAsync(new TrainingCompleted(Guid.CreateVersion7(), _world.Trust, school, TestClock.Now, jo, Guid.CreateVersion7(), "social_media_policy", today.AddYears(-2), today.AddDays(-1)));
        using var mo = _world.Client(_world.MarketingOfficer(school));

        var refused = await Eventually.Until(async () =>
        {
            var response = await mo.PostAsJsonAsync($"/v1/accounts/{account}/administrators", new { staffId = jo });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode != HttpStatusCode.UnprocessableEntity || r.Body.Contains("social_media_policy_training_expired", StringComparison.Ordinal));

        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Before_any_policy_is_published_final_approval_is_refused_because_no_version_can_have_been_acknowledged()
    {
        var school = await _world.NewSchoolAsync();
        var alex = await _world.JoinAsync(school, "Alex Brown");
        var sam = await _world.JoinAsync(school, "Sam Patel");
        await _world.TrainAsync(school, alex);
        await _world.TrainAsync(school, sam);
        using var applicant = _world.Client(_world.Staff(school, alex));
        var application = (await _world.ApplyAsync(applicant, Application(school, [alex, sam], "BasfordRobotics")))["id"]!.GetValue<Guid>();
        using var mo = _world.Client(_world.MarketingOfficer(school));
        await Http.EnsureSuccessAsync(await DecideAsync(mo, application, "marketing_officer", "approve"));
        using var head = _world.Client(_world.Head(school));

        var blocked = await Eventually.Until(async () =>
        {
            var response = await DecideAsync(head, application, "headteacher", "approve");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode != HttpStatusCode.UnprocessableEntity || !r.Body.Contains("social_media_policy_training ", StringComparison.Ordinal) && !r.Body.Contains("social_media_policy_training,", StringComparison.Ordinal));

        blocked.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "docs/adr/0110: with no published version the acknowledgement cannot be met");
        blocked.Body.Should().Contain($"administrators.{alex}").And.Contain($"administrators.{sam}").And.Contain("no policy version published yet");
    }

    [Fact]
    public async Task A_leaver_whose_older_joining_event_arrives_late_is_still_not_staff()
    {
        var school = await _world.NewSchoolAsync();
        var alex = await _world.JoinAsync(school, "Alex Brown");
        var sam = Guid.CreateVersion7();
        var left = new StaffLeft(Guid.CreateVersion7(), _world.Trust, school, TestClock.Now, sam, TestClock.UtcToday);
        await _world.Host.PublishAsync(left);
        await _world.WaitForInboxAsync([left]);
        var joined = new StaffJoined(Guid.CreateVersion7(), _world.Trust, school, TestClock.Now.AddDays(-30), sam, null, "Sam Patel", ["teacher"], new DateOnly(2024, 9, 1));
        await _world.Host.PublishAsync(joined);
        await _world.WaitForInboxAsync([joined]);
        using var client = _world.Client(_world.Staff(school, alex));

        var response = await Eventually.Until(async () =>
        {
            var r = await client.PostAsJsonAsync("/v1/applications", Application(school, [alex, sam], "BasfordCooking"));
            return (r.StatusCode, Problem: await ProblemAsync(r));
        }, r => r.StatusCode != HttpStatusCode.UnprocessableEntity || !Keys(r.Problem).Contains("administrators[0]"), because: "Alex is known as staff");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        Keys(response.Problem).Should().Equal("administrators[1]");
    }

    [Fact]
    public async Task One_administrator_against_the_default_minimum_of_two_is_422_naming_the_rule()
    {
        var school = await _world.NewSchoolAsync();
        var alex = await _world.JoinAsync(school, "Alex Brown");
        using var client = _world.Client(_world.Staff(school, alex));

        var response = await Eventually.Until(async () =>
        {
            var r = await client.PostAsJsonAsync("/v1/applications", Application(school, [alex]));
            return (r.StatusCode, Problem: await ProblemAsync(r));
        }, r => r.StatusCode == HttpStatusCode.UnprocessableEntity && !Keys(r.Problem).Contains("administrators[0]"), because: "Alex is known as staff");

        Keys(response.Problem).Should().Equal("administrators");
        response.Problem["errors"]!["administrators"]![0]!.GetValue<string>().Should().Contain("accounts.minimum_administrators = 2");
    }

    [Fact]
    public async Task A_school_raising_its_minimum_to_three_makes_three_administrators_required()
    {
        var school = await _world.NewSchoolAsync();
        await _world.PublishPolicyAsync(school, 3, "2.0");
        var staff = new[] { await _world.JoinAsync(school, "Alex Brown"), await _world.JoinAsync(school, "Sam Patel"), await _world.JoinAsync(school, "Jo Green") };
        using var client = _world.Client(_world.Staff(school, staff[0]));

        var two = await Eventually.Until(async () =>
        {
            var r = await client.PostAsJsonAsync("/v1/applications", Application(school, staff[..2]));
            return (r.StatusCode, Problem: await ProblemAsync(r));
        }, r => r.StatusCode == HttpStatusCode.UnprocessableEntity && Keys(r.Problem).SequenceEqual(["administrators"]));
        two.Problem["errors"]!["administrators"]![0]!.GetValue<string>().Should().Contain("accounts.minimum_administrators = 3");

        var three = await _world.ApplyAsync(client, Application(school, staff));
        three["policyVersion"]!.GetValue<string>().Should().Be("2.0");
    }

    [Fact]
    public async Task A_policy_raising_the_minimum_flags_accounts_now_below_it_as_at_risk()
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, _, _) = await _world.ApprovedAccountAsync(school, "BasfordMusic");
        await _world.Host.PublishAsync(Policy(_world.Trust, school, 3, "2.0"));

        using var admin = _world.Client(_world.Admin);
        var flagged = await Eventually.Until(() => AccountAsync(admin, account), a => a["status"]!.GetValue<string>() == "at_risk");
        flagged["handoverRequired"]!.GetValue<bool>().Should().BeFalse("nobody left; the account is only below the new minimum");
    }

    [Fact]
    public async Task A_handle_with_a_staff_members_name_breaks_the_naming_convention()
    {
        var school = await _world.NewSchoolAsync();
        var alex = await _world.JoinAsync(school, "Alex Brown");
        var sam = await _world.JoinAsync(school, "Sam Patel");
        using var client = _world.Client(_world.Staff(school, alex));

        var response = await Eventually.Until(async () =>
        {
            var r = await client.PostAsJsonAsync("/v1/applications", Application(school, [alex, sam], handle: "mr_patel_art"));
            return (r.StatusCode, Problem: await ProblemAsync(r));
        }, r => r.StatusCode == HttpStatusCode.UnprocessableEntity && Keys(r.Problem).SequenceEqual(["handle"]));
        response.Problem["errors"]!["handle"]![0]!.GetValue<string>().Should().Contain("accounts.naming_convention");
    }

    [Fact]
    public async Task Administrators_who_are_not_staff_of_the_school_and_missing_required_fields_are_each_named()
    {
        var school = await _world.NewSchoolAsync();
        var stranger = Guid.CreateVersion7();
        using var client = _world.Client(_world.Admin);
        var application = new { schoolId = school, platform = "x", handle = "BasfordSport", administrators = new[] { stranger, Guid.CreateVersion7() } };

        var response = await client.PostAsJsonAsync("/v1/applications", application);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        Keys(await ProblemAsync(response)).Should().BeEquivalentTo("administrators[0]", "administrators[1]", "purpose", "audiences", "moderator", "visibility");
    }

    [Fact]
    public async Task Malformed_input_is_400_naming_the_field()
    {
        var school = await _world.NewSchoolAsync();
        using var client = _world.Client(_world.Admin);

        var badHandle = await client.PostAsJsonAsync("/v1/applications", new { schoolId = school, platform = "x", handle = "a b!", administrators = Array.Empty<Guid>() });
        var password = await client.PostAsJsonAsync("/v1/applications", new { schoolId = school, platform = "x", handle = "ab", administrators = Array.Empty<Guid>(), password = "secret" });

        badHandle.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Keys(await ProblemAsync(badHandle)).Should().Contain("handle");
        password.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Keys(await ProblemAsync(password)).Should().Equal("password");
    }

    [Fact]
    public async Task A_decision_for_a_later_step_or_by_the_wrong_role_is_refused_and_a_rejection_ends_the_application()
    {
        var school = await _world.NewSchoolAsync();
        var alex = await _world.JoinAsync(school, "Alex Brown");
        var sam = await _world.JoinAsync(school, "Sam Patel");
        using var applicant = _world.Client(_world.Staff(school, alex));
        var application = (await _world.ApplyAsync(applicant, Application(school, [alex, sam], "BasfordDrama")))["id"]!.GetValue<Guid>();
        using var head = _world.Client(_world.Head(school));
        using var mo = _world.Client(_world.MarketingOfficer(school));

        (await DecideAsync(head, application, "headteacher", "approve")).StatusCode.Should().Be(HttpStatusCode.Conflict, "the marketing officer decides first (002 Appendix C)");
        (await DecideAsync(head, application, "marketing_officer", "approve")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await DecideAsync(mo, application, "marketing_officer", "reject")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a rejection needs a reason");
        var rejected = await DecideAsync(mo, application, "marketing_officer", "reject", "Duplicates the school's main account.");
        await Http.EnsureSuccessAsync(rejected);
        var body = (await rejected.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"]!.GetValue<string>().Should().Be("rejected");
        body["decisions"]![0]!["reason"]!.GetValue<string>().Should().Be("Duplicates the school's main account.");
        (await DecideAsync(head, application, "headteacher", "approve")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a rejection ends the application");
    }

    [Fact]
    public async Task Closing_an_account_records_why_and_who_and_announces_it()
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, _, _) = await _world.ApprovedAccountAsync(school, "BasfordChess");
        using var head = _world.Client(_world.Head(school));

        var review = new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{account}/review")
        {
            Content = JsonContent.Create(new { reviewDate = TestClock.UtcToday.AddMonths(6), evaluationNotes = "Well used by families." }),
        };
        review.Headers.TryAddWithoutValidation("If-Match", (await head.GetAsync($"/v1/accounts/{account}")).Headers.ETag!.Tag);
        await Http.EnsureSuccessAsync(await head.SendAsync(review));
        var closed = await head.PostAsJsonAsync($"/v1/accounts/{account}/close", new { reason = "The club ended." });
        await Http.EnsureSuccessAsync(closed);

        var body = (await closed.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"]!.GetValue<string>().Should().Be("closed");
        body["closedReason"]!.GetValue<string>().Should().Be("The club ended.");
        body["closedBy"]!.GetValue<string>().Should().Be(_world.Head(school).Subject);
        body["evaluationNotes"]!.GetValue<string>().Should().Be("Well used by families.");
        (await Eventually.Until(() => _world.OutboxAsync(nameof(AccountClosed), account), rows => rows.Count == 1 && rows[0].Sent))[0]
            .Body["reason"]!.GetValue<string>().Should().Be("The club ended.");
    }

    [Fact]
    public async Task A_stale_review_edit_is_412()
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, _, _) = await _world.ApprovedAccountAsync(school, "BasfordGarden");
        using var head = _world.Client(_world.Head(school));
        var review = new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{account}/review")
        {
            Content = JsonContent.Create(new { reviewDate = TestClock.UtcToday.AddMonths(6) }),
        };
        review.Headers.TryAddWithoutValidation("If-Match", "\"999\"");

        (await head.SendAsync(review)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
    }
}
