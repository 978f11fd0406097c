using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The AET rollout told once, in order, through the gateway, with every service running on real
/// PostgreSQL and RabbitMQ. Each step asserts the effect in the service that did NOT receive the request.
/// </summary>
[Collection(StoryCollection.Name)]
public sealed class AetRolloutStoryTests(StoryFixture fixture, ITestOutputHelper output)
{
    private readonly StoryClients _clients = new(fixture);
    private readonly List<(string Effect, double Ms)> _latencies = [];
    private static readonly DevUser Operator = new("story-operator", "Operator", null, [Roles.PlatformOperator]);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Waits for an effect in another service and records how long after the causing commit it was seen.</summary>
    private async Task<T> EffectAsync<T>(string effect, Stopwatch sinceCommit, Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var result = await Eventually.Until(probe, done, timeout ?? TimeSpan.FromSeconds(20), effect);
        _latencies.Add((effect, sinceCommit.Elapsed.TotalMilliseconds));
        return result;
    }

    private static JsonObject Requirement(JsonNode requirements, string name) =>
        requirements["requirements"]!.AsArray().Single(r => r!["requirement"]!.GetValue<string>() == name)!.AsObject();

    private static bool HasRequirement(JsonNode requirements, string name, string? status = null) =>
        requirements["requirements"]!.AsArray().Any(r => r!["requirement"]!.GetValue<string>() == name && (status is null || r["status"]!.GetValue<string>() == status));

    [Fact]
    public async Task The_aet_rollout_runs_end_to_end_through_the_gateway_and_every_cross_service_effect_arrives()
    {
        var story = Stopwatch.StartNew();
        var today = TestClock.Today;

        // ---- 0. A platform operator onboards the trust; the CEO adds the schools.
        using var op = _clients.As(Operator);
        var trust = (await op.PostJsonAsync("/policy/v1/trusts", new { name = "Aspire Educational Trust", firstAdmin = new { displayName = "AET chief executive", email = "ceo@aet.example" } }))["id"]!.GetValue<Guid>();
        var ceoUser = new DevUser("story-ceo", "AET chief executive", trust, [Roles.TrustAdmin]);
        using var ceo = _clients.As(ceoUser);
        var oldBasford = (await ceo.PostJsonAsync("/policy/v1/schools", new { name = "Old Basford School", urn = "140000", phase = "secondary", localAuthority = "Nottingham" }))["id"]!.GetValue<Guid>();
        var mellers = (await ceo.PostJsonAsync("/policy/v1/schools", new { name = "Mellers Primary School", urn = "140003", phase = "primary", localAuthority = "Nottingham" }))["id"]!.GetValue<Guid>();
        DevUser InSchool(string role, Guid school, string who, Guid? staffId = null) => new($"story-{who}-{role}-{school:N}", who, trust, [$"{role}:{school}"], staffId);

        // ---- 1. The CEO publishes the AET baseline (002). SLA 48 h tighten-only, two administrators and
        // marketing officer then headteacher are the catalogue defaults; the trust sets its own chair, terms, review date and owner.
        foreach (var (key, value) in DemoPolicy.Baseline(today))
        {
            await Http.EnsureSuccessAsync(await ceo.PutWithETagAsync("/policy/v1/policy/baseline", $"/policy/v1/policy/baseline/{key}", value));
        }

        var baseline = (await ceo.GetJsonAsync("/policy/v1/policy/baseline")).ToJsonString();
        baseline.Should().Contain("sla.response_hours").And.Contain("tighten_only").And.Contain("accounts.minimum_administrators");

        // ---- 2. Each headteacher sets the school's own values; 72 h against the trust's tighten-only 48 h is refused.
        using var mellersHead = _clients.As(InSchool(Roles.Headteacher, mellers, "mellers-head"));
        using var basfordHead = _clients.As(InSchool(Roles.Headteacher, oldBasford, "basford-head"));
        foreach (var (school, name, head) in new[] { (mellers, "Mellers Primary School", mellersHead), (oldBasford, "Old Basford School", basfordHead) })
        {
            foreach (var (key, value) in DemoPolicy.Schools(today)[name])
            {
                await Http.EnsureSuccessAsync(await head.PutWithETagAsync($"/policy/v1/schools/{school}/policy/overrides", $"/policy/v1/schools/{school}/policy/overrides/{key}", value));
            }
        }

        var tooSlow = await basfordHead.PutWithETagAsync($"/policy/v1/schools/{oldBasford}/policy/overrides", $"/policy/v1/schools/{oldBasford}/policy/overrides/sla.response_hours", 72);
        tooSlow.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooSlow.Content.ReadAsStringAsync()).Should().Contain("tighten");

        // ---- 3. Version 1.0: draft (major), trustees approve, publish -> PolicyPublished per school reaches every service.
        var versionId = (await ceo.PostJsonAsync("/policy/v1/policy/versions", new { kind = "major", summary = "AET social media policy 1.0" }))["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await ceo.PostAsJsonAsync($"/policy/v1/policy/versions/{versionId}/approve",
            new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = Day(today) }));
        await Http.EnsureSuccessAsync(await ceo.PostAsync($"/policy/v1/policy/versions/{versionId}/publish", null));
        var published = Stopwatch.StartNew();

        var incidentPolicy = await EffectAsync("PolicyPublished -> Incidents SLA 24 h at Mellers", published,
            () => ceo.GetJsonAsync($"/incidents/v1/schools/{mellers}/incident-policy"), p => p["sla"]!["responseHours"]!.GetValue<int>() == 24);
        incidentPolicy["source"]!.GetValue<string>().Should().Contain("1.0");
        (await EffectAsync("PolicyPublished -> Incidents SLA 48 h at Old Basford", published,
            () => ceo.GetJsonAsync($"/incidents/v1/schools/{oldBasford}/incident-policy"), p => p["source"]!.GetValue<string>().Contains("1.0", StringComparison.Ordinal)))
            ["sla"]!["responseHours"]!.GetValue<int>().Should().Be(48);
        var accountPolicy = await EffectAsync("PolicyPublished -> Accounts rules at Mellers", published,
            () => ceo.GetJsonAsync($"/accounts/v1/schools/{mellers}/account-policy"), p => p["version"]!.GetValue<string>() == "1.0");
        accountPolicy["minimumAdministrators"]!.GetValue<int>().Should().Be(2);
        accountPolicy["approvalChain"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("marketing_officer", "headteacher");
        var trainingPolicy = await EffectAsync("PolicyPublished -> Training cadences at Mellers", published,
            () => ceo.GetJsonAsync($"/training/v1/schools/{mellers}/training-policy"), p => p["version"]?.GetValue<string>() == "1.0");
        trainingPolicy["refresherCadence"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        output.WriteLine($"policy published at {story.ElapsedMilliseconds} ms");

        // ---- 4. The MIS vendor's integration key (issued by Policy) syncs each school's staff through Training.
        var issued = await ceo.PostJsonAsync("/policy/v1/api-keys", new
        {
            name = "MIS integration", scopes = new[] { Scopes.RosterWrite, Scopes.RosterRead, Scopes.TrainingWrite, Scopes.ComplianceRead },
        });
        using var mis = _clients.WithKey(issued["secret"]!.GetValue<string>());
        var start = Day(today.AddDays(-3));
        object Row(string misId, string name, params string[] roles) => new { misId, displayName = name, personType = "staff", roles, startDate = start, leaveDate = (string?)null };
        var mellersRoster = new List<object>
        {
            Row("M1", "Jo Kervick", "teacher", "e_safety_lead"), Row("M2", "Gary Phillips", "ict_technician"),
            Row("M3", "Jo Travis", "office_staff", "marketing_officer"), Row("M4", "Sam Patel", "teacher"),
        };
        var keyIssued = Stopwatch.StartNew();
        var sync = await EffectAsync("ApiKeyIssued -> Training accepts the MIS key", keyIssued,
            () => mis.PostAsJsonAsync($"/training/v1/schools/{mellers}/roster/sync", new { people = mellersRoster }), r => r.StatusCode != HttpStatusCode.Unauthorized);
        (await sync.JsonAsync())["joined"]!.GetValue<int>().Should().Be(4);
        (await mis.PostJsonAsync($"/training/v1/schools/{oldBasford}/roster/sync", new { people = new[] { Row("B1", "Hannah Booth", "teacher"), Row("B2", "Brett Summersby", "teacher") } }))
            ["joined"]!.GetValue<int>().Should().Be(2);

        async Task<Dictionary<string, Guid>> PeopleAsync(Guid school) =>
            (await mis.GetJsonAsync($"/training/v1/schools/{school}/people?limit=200"))["items"]!.AsArray()
                .ToDictionary(p => p!["misId"]!.GetValue<string>(), p => p!["id"]!.GetValue<Guid>());
        var staff = await PeopleAsync(mellers);
        var basfordStaff = await PeopleAsync(oldBasford);
        foreach (var (school, person) in staff.Values.Select(p => (mellers, p)).Concat(basfordStaff.Values.Select(p => (oldBasford, p))))
        {
            var induction = Requirement(await mis.GetJsonAsync($"/training/v1/schools/{school}/people/{person}/requirements"), "induction");
            induction["status"]!.GetValue<string>().Should().Be("due", "every joiner gets an induction requirement");
        }

        // ---- 4b. The CEO makes Mellers' people members of the trust's directory and appoints them (their mail goes to this run's mailboxes).
        async Task<(Guid Id, string Email)> MemberAsync(string name, string post, Guid? staffId)
        {
            var email = MailPickup.Address(post.Replace('_', '-'));
            var id = (await ceo.PostJsonAsync("/policy/v1/members", new { displayName = name, email, staffId }))["id"]!.GetValue<Guid>();
            await Http.EnsureSuccessAsync(await ceo.PostAsJsonAsync($"/policy/v1/schools/{mellers}/appointments", new { memberId = id, role = post, startsOn = Day(today) }));
            return (id, email);
        }

        var mellersHeadMember = await MemberAsync("Mellers headteacher", Roles.Headteacher, null);
        var joTravis = await MemberAsync("Jo Travis", Roles.MarketingOfficer, staff["M3"]);
        var garyMember = await MemberAsync("Gary Phillips", Roles.IctTechnician, staff["M2"]);

        // ---- 5. Staff complete the policy course and acknowledge version 1.0 (all but Gary, for now); Accounts learns both.
        var course = (await mis.PostJsonAsync("/training/v1/courses", new { code = "social_media_policy", title = "Social media policy", validityMonths = 12 }))["id"]!.GetValue<Guid>();
        foreach (var (school, person) in staff.Values.Select(p => (mellers, p)).Concat(basfordStaff.Values.Select(p => (oldBasford, p))))
        {
            await Http.EnsureSuccessAsync(await mis.PostAsJsonAsync($"/training/v1/schools/{school}/people/{person}/completions",
                new { courseId = course, completedOn = Day(today.AddDays(-1)), provider = "National College", evidenceReference = "CERT-" + person.ToString("N")[..6] }));
            Requirement(await mis.GetJsonAsync($"/training/v1/schools/{school}/people/{person}/requirements"), "induction")["status"]!.GetValue<string>().Should().Be("done");
        }

        async Task AcknowledgeAsync(Guid school, Guid person)
        {
            using var self = _clients.As(InSchool(Roles.Staff, school, "self-" + person.ToString("N")[..6], person));
            var ack = await StoryHttp.WhileAsync(() => self.PostAsJsonAsync($"/training/v1/schools/{school}/people/{person}/acknowledgements", new { policyVersionId = versionId }),
                "Training knows version 1.0", HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict);
            ack.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        foreach (var mis_ in new[] { "M1", "M3", "M4" })
        {
            await AcknowledgeAsync(mellers, staff[mis_]);
        }

        foreach (var person in basfordStaff.Values)
        {
            await AcknowledgeAsync(oldBasford, person);
        }

        // ---- 6. Jo Kervick applies for a Mellers sports account with Jo and Gary as administrators. The marketing officer
        // approves; the headteacher's final approval waits (422) for Gary's acknowledgement, then succeeds.
        var jo = staff["M1"];
        var gary = staff["M2"];
        using var applicant = _clients.As(InSchool(Roles.Staff, mellers, "jo", jo));
        var application = await (await StoryHttp.WhileAsync(() => applicant.PostAsJsonAsync("/accounts/v1/applications", new
        {
            schoolId = mellers, platform = "facebook", handle = "MellersSports", administrators = new[] { jo, gary },
            purpose = "Share fixtures and results of Mellers' sports teams with families.",
            proposedContent = "Fixtures, results, team photos without faces.",
            audiences = new object[] { new { kind = "families" } },
            contributors = new[] { "PE staff" }, moderator = jo, visibility = "closed",
            visibilityReason = "Followers are approved so only Mellers families see pupils' sport.",
            evaluation = "Attendance at fixtures each term.", url = "https://facebook.com/MellersSports", officialEmail = "sports@mellers.example",
        }), "Accounts knows Jo and Gary as Mellers staff (StaffJoined)", HttpStatusCode.UnprocessableEntity)).JsonAsync();
        var applicationId = application["id"]!.GetValue<Guid>();
        using var marketing = _clients.As(InSchool(Roles.MarketingOfficer, mellers, "jo-travis", staff["M3"]));
        await Http.EnsureSuccessAsync(await marketing.PostAsJsonAsync($"/accounts/v1/applications/{applicationId}/decisions", new { step = "marketing_officer", outcome = "approve" }));

        var waiting = await Eventually.Until(async () =>
        {
            var r = await mellersHead.PostAsJsonAsync($"/accounts/v1/applications/{applicationId}/decisions", new { step = "headteacher", outcome = "approve" });
            return (r.StatusCode, Body: await r.Content.ReadAsStringAsync());
        }, r => r.StatusCode != HttpStatusCode.UnprocessableEntity || (r.Body.Contains($"administrators.{gary}", StringComparison.Ordinal) && !r.Body.Contains($"administrators.{jo}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "Jo's training and acknowledgement reach Accounts; Gary's acknowledgement is missing");
        waiting.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "Gary has not acknowledged version 1.0");
        waiting.Body.Should().Contain("acknowledg");

        await AcknowledgeAsync(mellers, gary);
        var acknowledged = Stopwatch.StartNew();
        var approved = await (await EffectAsync("PolicyAcknowledged (Training) -> Accounts final approval", acknowledged,
            () => mellersHead.PostAsJsonAsync($"/accounts/v1/applications/{applicationId}/decisions", new { step = "headteacher", outcome = "approve" }),
            r => r.StatusCode != HttpStatusCode.UnprocessableEntity)).JsonAsync();
        approved["status"]!.GetValue<string>().Should().Be("approved");
        var account = approved["accountId"]!.GetValue<Guid>();
        var approvedAt = Stopwatch.StartNew();
        (await ceo.GetJsonAsync($"/accounts/v1/accounts/{account}"))["status"]!.GetValue<string>().Should().Be("live");
        // AccountApproved reaches Training: both administrators get the platform's training.
        foreach (var admin in new[] { jo, gary })
        {
            await EffectAsync("AccountApproved (Accounts) -> Training platform training", approvedAt,
                () => mis.GetJsonAsync($"/training/v1/schools/{mellers}/people/{admin}/requirements"), r => HasRequirement(r, "platform_training"));
        }

        // ---- 7. A pupil sends a friend request to a teacher: the case routes to the DSL and is restricted.
        using var reporter = _clients.As(InSchool(Roles.Staff, mellers, "sam", staff["M4"]));
        var friendRequest = (await reporter.PostJsonAsync($"/incidents/v1/schools/{mellers}/cases", new
        {
            type = "inappropriate_contact", summary = "A Year 6 pupil sent a friend request to a teacher",
            subject = new { kind = "pupil", misId = "P-000123" },
            inappropriateContact = new { from = "pupil", platform = "instagram", contactKind = "friend_request", staffResponded = false },
        }))["id"]!.GetValue<Guid>();
        using var dsl = _clients.As(InSchool(Roles.Dsl, mellers, "mellers-dsl"));
        var routed = await dsl.GetJsonAsync($"/incidents/v1/cases/{friendRequest}");
        routed["assignedRole"]!.GetValue<string>().Should().Be(Roles.Dsl);
        routed["restricted"]!.GetValue<bool>().Should().BeTrue();
        (await mellersHead.GetAsync($"/incidents/v1/cases/{friendRequest}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a restricted case is the DSL's only");

        // ---- 8. A Saturday comment on the Mellers account (24 h school) is due Monday 17:00, and escalates when unanswered.
        // Saturday 21 November 2026 10:00 London -> Monday 23 November 17:00 (the issue's example).
        async Task<JsonNode> CommentAsync(DateTimeOffset receivedAt) =>
            await mellersHead.GetJsonAsync($"/incidents/v1/cases/{(await reporter.PostJsonAsync($"/incidents/v1/schools/{mellers}/cases", new
            {
                type = "account_message", summary = "A parent comments on the sports page",
                accountMessage = new { platform = "facebook", kind = "comment", receivedAt, accountId = account },
            }))["id"]!.GetValue<Guid>()}");
        var saturday = await CommentAsync(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
        saturday["dueAt"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero));
        // The Saturday before (14 November) was due Monday 16 November 17:00, which has passed: unanswered, it escalates.
        var unanswered = await CommentAsync(new DateTimeOffset(2026, 11, 14, 10, 0, 0, TimeSpan.Zero));
        unanswered["dueAt"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 11, 16, 17, 0, 0, TimeSpan.Zero));
        var unansweredId = unanswered["id"]!.GetValue<Guid>();
        await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
        (await mellersHead.GetJsonAsync($"/incidents/v1/cases/{unansweredId}"))["overdue"]!.GetValue<bool>().Should().BeTrue();
        (await mellersHead.GetJsonAsync($"/incidents/v1/cases/{unansweredId}/timeline")).ToJsonString().Should().Contain("overdue");
        // A comment received just now is not due for at least a working day: the scan leaves it alone. (The Saturday
        // example's own deadline is fixed in the past of any run after 23 November 2026, so it cannot show this.)
        var fresh = await CommentAsync(TestClock.Now.AddMinutes(-1));
        await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
        (await mellersHead.GetJsonAsync($"/incidents/v1/cases/{fresh["id"]!.GetValue<Guid>()}"))["overdue"]!.GetValue<bool>().Should().BeFalse();

        // ---- 9. Training is stopped mid-story. While it is down a significant cyberbullying case closes; when Training
        // is back (same database and vhost: durable queue, outbox) every Mellers staff member has a refresher.
        await fixture.StopTrainingAsync();
        var bullying = (await reporter.PostJsonAsync($"/incidents/v1/schools/{mellers}/cases", new
        {
            type = "cyberbullying", summary = "Year 6 group chat targets one pupil",
            cyberbullying = new { victim = "pupil", perpetrator = "pupil", incidentAt = TestClock.Now.AddDays(-1), platform = "whatsapp" },
        }))["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await dsl.PostAsJsonAsync($"/incidents/v1/cases/{bullying}/close", new { outcome = "resolved_internally", significant = true, note = "Parents met; online safety assembly" }));
        var closed = Stopwatch.StartNew();
        (await mis.GetAsync($"/training/v1/schools/{mellers}/people")).StatusCode.Should().Be(HttpStatusCode.BadGateway, "Training is really down");
        fixture.StartTraining();
        foreach (var person in staff.Values)
        {
            var refresher = await EffectAsync("IncidentClosed (Incidents) -> Training refresher, across a Training restart", closed,
                () => mis.GetJsonAsync($"/training/v1/schools/{mellers}/people/{person}/requirements"), r => HasRequirement(r, "incident_refresher"), TimeSpan.FromSeconds(30));
            Requirement(refresher, "incident_refresher")["status"]!.GetValue<string>().Should().Be("due");
        }

        foreach (var person in basfordStaff.Values)
        {
            HasRequirement(await mis.GetJsonAsync($"/training/v1/schools/{oldBasford}/people/{person}/requirements"), "incident_refresher").Should().BeFalse("the case was Mellers'");
        }

        // ---- 10. Gary leaves via the MIS sync: the account turns handover-required.
        (await mis.PostJsonAsync($"/training/v1/schools/{mellers}/roster/sync", new { people = mellersRoster.Where((_, i) => i != 1).ToList(), deletions = new[] { "M2" } }))
            ["left"]!.GetValue<int>().Should().Be(1);
        var left = Stopwatch.StartNew();
        await EffectAsync("StaffLeft (Training) -> Accounts handover required", left,
            () => ceo.GetJsonAsync($"/accounts/v1/accounts/{account}"), a => a["handoverRequired"]!.GetValue<bool>());
        // The headteacher and the marketing officer are told once each; Gary, who left, is not.
        foreach (var told in new[] { mellersHeadMember.Email, joTravis.Email })
        {
            var handover = (await Eventually.Until(() => Task.FromResult(MailPickup.Delivered(told)),
                    m => m.Any(x => (x.Subject ?? "").StartsWith("Handover needed", StringComparison.Ordinal)), because: "the handover is told"))
                .Where(m => (m.Subject ?? "").StartsWith("Handover needed", StringComparison.Ordinal)).ToList();
            handover.Should().ContainSingle().Which.TextBody.Should().Contain($"/accounts/{account}").And.Contain("Name a new administrator");
        }

        MailPickup.Delivered(garyMember.Email).Should().NotContain(m => (m.Subject ?? "").StartsWith("Handover needed", StringComparison.Ordinal));

        // ---- 11. The CEO's trust-wide views: deviations (Policy), compliance (Training), overdue cases (Incidents).
        var deviations = await ceo.GetJsonAsync("/policy/v1/policy/deviations");
        var sla = deviations["settings"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "sla.response_hours")!;
        string SourceFor(JsonNode row, Guid school) => row["schools"]!.AsArray().Single(c => c!["schoolId"]!.GetValue<Guid>() == school)!["source"]!.GetValue<string>();
        SourceFor(sla, mellers).Should().Be("school");
        SourceFor(sla, oldBasford).Should().Be("trust");
        var team = deviations["settings"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "roles.esafety_team")!;
        SourceFor(team, mellers).Should().Be("school");
        SourceFor(team, oldBasford).Should().Be("school");
        team.ToJsonString().Should().Contain("Jo Kervick").And.Contain("Hannah Booth");
        var journalist = deviations["settings"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "journalist.rule")!;
        journalist["schools"]!.AsArray().Single(c => c!["schoolId"]!.GetValue<Guid>() == oldBasford)!["value"]!.GetValue<string>().Should().Be("headteacher_and_chair");

        var compliance = await ceo.GetJsonAsync("/training/v1/compliance");
        var schools = compliance["schools"]!.AsArray().ToDictionary(s => s!["schoolId"]!.GetValue<Guid>(), s => s!);
        schools.Keys.Should().Contain([mellers, oldBasford]);
        schools[oldBasford]["requirements"]!.AsArray().Single(r => r!["requirement"]!.GetValue<string>() == "induction")!["done"]!.GetValue<int>().Should().Be(2);

        var overdue = await ceo.GetJsonAsync("/incidents/v1/cases/overdue?limit=200");
        overdue["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).Should().Contain(unansweredId).And.NotContain(fresh["id"]!.GetValue<Guid>());

        story.Stop();
        var sorted = _latencies.Select(l => l.Ms).Order().ToList();
        output.WriteLine($"Story end to end: {story.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"Commit -> effect in another service, n={sorted.Count}: median {sorted[sorted.Count / 2]:F0} ms, p99 {sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1]:F0} ms (an Eventually poll adds up to 250 ms)");
        foreach (var (effect, ms) in _latencies)
        {
            output.WriteLine($"  {ms,8:F0} ms  {effect}");
        }
    }
}
