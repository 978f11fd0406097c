using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Trust.Platform.Client.Accounts;
using Trust.Platform.Client.Incidents;
using Trust.Platform.Client.Policy;
using Trust.Platform.Client.Training;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using AccountModels = Trust.Platform.Client.Accounts.Models;
using IncidentModels = Trust.Platform.Client.Incidents.Models;
using PolicyModels = Trust.Platform.Client.Policy.Models;
using TrainingModels = Trust.Platform.Client.Training.Models;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The AET rollout as an integrator writes it: only the typed clients Kiota generates from the committed contracts
/// (clients/csharp), against a gateway listening on a real port. A contract that does not describe what the services
/// do breaks this test where a client generated from it would break. The story is AetRolloutStoryTests' without the
/// Training restart (that is the fixture's doing, not a client's), on its own URNs.
/// </summary>
[Collection(StoryCollection.Name)]
public sealed class GeneratedClientStoryTests(StoryFixture fixture) : IDisposable
{
    private static readonly DevUser Operator = new("kiota-operator", "Operator", null, [Roles.PlatformOperator]);
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(20);
    private readonly List<HttpClient> _owned = [];

    public void Dispose()
    {
        foreach (var http in _owned)
        {
            http.Dispose();
        }
    }

    private HttpClient Http(Action<HttpRequestHeaders> credentials)
    {
        // Kiota's own pipeline (retry, redirect, headers inspection...), as a generated client's user gets it.
        var http = KiotaClientFactory.Create();
        http.BaseAddress = new Uri(fixture.RealGatewayAddress());
        credentials(http.DefaultRequestHeaders);
        _owned.Add(http);
        return http;
    }

    private static HttpClientRequestAdapter Adapter(HttpClient http, string service) =>
        new(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') + "/" + service };

    private (PolicyClient Policy, IncidentsClient Incidents, AccountsClient Accounts, TrainingClient Training) As(DevUser user)
    {
        var http = Http(h => h.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Policy.Token(user)));
        return (new PolicyClient(Adapter(http, "policy")), new IncidentsClient(Adapter(http, "incidents")),
            new AccountsClient(Adapter(http, "accounts")), new TrainingClient(Adapter(http, "training")));
    }

    /// <summary>Reads the ETag a GET answers, through Kiota's response-headers option, for the If-Match of the write.</summary>
    private static async Task<string> ETagAsync(Func<Action<RequestConfiguration<DefaultQueryParameters>>, Task> get)
    {
        var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await get(c => c.Options.Add(inspect));
        return inspect.ResponseHeaders["ETag"].Single();
    }

    /// <summary>
    /// Repeats a typed call while it fails with one of <paramref name="waitingFor"/> (an event another service sends has
    /// not arrived yet); any other failure ends the test with the contract's typed problem.
    /// </summary>
    private static async Task<T> WhileRefusedAsync<T>(Func<Task<T?>> call, string because, params int[] waitingFor)
        where T : class
    {
        var outcome = await Eventually.Until(async () =>
        {
            try
            {
                return (Result: await call(), Status: 200);
            }
            catch (ApiException e) when (waitingFor.Contains(e.ResponseStatusCode))
            {
                return (Result: (T?)null, Status: e.ResponseStatusCode);
            }
        }, r => r.Status == 200, EventWait, because);
        return outcome.Result ?? throw new InvalidOperationException($"{because}: the answer had no body");
    }

    private static Date Day(DateOnly d) => new(d.Year, d.Month, d.Day);

    private static TrainingModels.RequirementResponse Requirement(TrainingModels.PersonRequirementsResponse? requirements, string name) =>
        requirements!.Requirements!.Single(r => r.Requirement == name);

    private static bool HasRequirement(TrainingModels.PersonRequirementsResponse? requirements, string name) =>
        requirements!.Requirements!.Any(r => r.Requirement == name);

    /// <summary>A setting's value (any JSON, as the catalogue types it) in Kiota's model of untyped JSON.</summary>
    private static UntypedNode Untyped(System.Text.Json.Nodes.JsonNode? value) => value switch
    {
        null => new UntypedNull(),
        System.Text.Json.Nodes.JsonObject o => new UntypedObject(o.ToDictionary(p => p.Key, p => Untyped(p.Value))),
        System.Text.Json.Nodes.JsonArray a => new UntypedArray(a.Select(Untyped).ToList()),
        _ => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => new UntypedString(value.GetValue<string>()),
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => new UntypedBoolean(value.GetValue<bool>()),
            System.Text.Json.JsonValueKind.Number when long.TryParse(value.ToJsonString(), CultureInfo.InvariantCulture, out var whole) => new UntypedLong(whole),
            System.Text.Json.JsonValueKind.Number => new UntypedDouble(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)),
            _ => new UntypedNull(),
        },
    };

    [Fact]
    public async Task The_aet_rollout_runs_through_the_gateway_with_the_generated_typed_clients()
    {
        var today = TestClock.Today;

        // ---- 0. The operator onboards the trust; the CEO adds Old Basford and Mellers.
        var op = As(Operator);
        var trust = await op.Policy.V1.Trusts.PostAsync(new PolicyModels.CreateTrustRequest
        {
            Name = "Aspire Educational Trust", FirstAdmin = new PolicyModels.FirstAdminRequest { DisplayName = "AET chief executive", Email = "ceo@aet.example" },
        });
        var trustId = trust!.Id!.Value;
        var ceo = As(new DevUser("kiota-ceo", "AET chief executive", trustId, [Roles.TrustAdmin]));
        var oldBasford = (await ceo.Policy.V1.Schools.PostAsync(new PolicyModels.SchoolRequest
        {
            Name = "Old Basford School", Urn = "140100", Phase = PolicyModels.SchoolPhase.Secondary, LocalAuthority = "Nottingham",
        }))!.Id!.Value;
        var mellers = (await ceo.Policy.V1.Schools.PostAsync(new PolicyModels.SchoolRequest
        {
            Name = "Mellers Primary School", Urn = "140103", Phase = PolicyModels.SchoolPhase.Primary, LocalAuthority = "Nottingham",
        }))!.Id!.Value;
        DevUser InSchool(string role, Guid school, string who, Guid? staffId = null) => new($"kiota-{who}-{role}-{school:N}", who, trustId, [$"{role}:{school}"], staffId);

        // ---- 1. The trust's baseline (seed 002), each PUT with the ETag it read.
        foreach (var (key, value) in DemoPolicy.Baseline(today))
        {
            var etag = await ETagAsync(c => ceo.Policy.V1.Policy.Baseline.GetAsync(c));
            await ceo.Policy.V1.Policy.Baseline[key].PutAsync(new PolicyModels.UpdateBaselineSettingRequest { Value = Untyped(value) }, c => c.Headers.Add("If-Match", etag));
        }

        var baseline = await ceo.Policy.V1.Policy.Baseline.GetAsync();
        baseline!.Settings!.Select(s => s.Key).Should().Contain(["sla.response_hours", "accounts.minimum_administrators"]);
        baseline.Settings!.Single(s => s.Key == "sla.response_hours").Rule.Should().Be("tighten_only");

        // ---- 2. Each headteacher sets the school's own values (seed 003); 72 h against the trust's tighten-only 48 h is
        // the contract's typed problem, naming the rule.
        var mellersHead = As(InSchool(Roles.Headteacher, mellers, "mellers-head"));
        var basfordHead = As(InSchool(Roles.Headteacher, oldBasford, "basford-head"));
        foreach (var (school, name, head) in new[] { (mellers, "Mellers Primary School", mellersHead), (oldBasford, "Old Basford School", basfordHead) })
        {
            foreach (var (key, value) in DemoPolicy.Schools(today)[name])
            {
                var etag = await ETagAsync(c => head.Policy.V1.Schools[school].Policy.Overrides.GetAsync(c));
                await head.Policy.V1.Schools[school].Policy.Overrides[key].PutAsync(new PolicyModels.SetOverrideRequest { Value = Untyped(value) }, c => c.Headers.Add("If-Match", etag));
            }
        }

        var tooSlow = async () =>
        {
            var etag = await ETagAsync(c => basfordHead.Policy.V1.Schools[oldBasford].Policy.Overrides.GetAsync(c));
            await basfordHead.Policy.V1.Schools[oldBasford].Policy.Overrides["sla.response_hours"].PutAsync(
                new PolicyModels.SetOverrideRequest { Value = new UntypedInteger(72) }, c => c.Headers.Add("If-Match", etag));
        };
        var refused = (await tooSlow.Should().ThrowAsync<PolicyModels.ProblemDetails>()).Which;
        refused.ResponseStatusCode.Should().Be(422);
        refused.Rule.Should().Contain("tighten");

        // ---- 3. Version 1.0: draft, approve, publish; every other service learns it from PolicyPublished.
        var version = await ceo.Policy.V1.Policy.Versions.PostAsync(new PolicyModels.DraftVersionRequest { Kind = PolicyModels.VersionKind.Major, Summary = "AET social media policy 1.0" });
        var versionId = version!.Id!.Value;
        await ceo.Policy.V1.Policy.Versions[versionId].Approve.PostAsync(new PolicyModels.ApproveVersionRequest
        {
            ApproverName = "Chair of the Board of Trustees", ApprovingBody = "Board of Trustees", ApprovedOn = Day(today),
        });
        (await ceo.Policy.V1.Policy.Versions[versionId].Publish.PostAsync())!.Status.Should().Be(PolicyModels.VersionStatus.Published);

        var incidentPolicy = await Eventually.Until(() => ceo.Incidents.V1.Schools[mellers].IncidentPolicy.GetAsync(),
            p => p!.Sla!.ResponseHours == 24, EventWait, "Mellers' 24-hour SLA reaches Incidents");
        incidentPolicy!.Source.Should().Contain("1.0");
        (await Eventually.Until(() => ceo.Incidents.V1.Schools[oldBasford].IncidentPolicy.GetAsync(),
            p => p!.Source!.Contains("1.0", StringComparison.Ordinal), EventWait, "version 1.0 reaches Incidents at Old Basford"))!.Sla!.ResponseHours.Should().Be(48);
        var accountPolicy = await Eventually.Until(() => ceo.Accounts.V1.Schools[mellers].AccountPolicy.GetAsync(),
            p => p!.Version == "1.0", EventWait, "version 1.0 reaches Accounts");
        accountPolicy!.MinimumAdministrators.Should().Be(2);
        accountPolicy.ApprovalChain.Should().Equal("marketing_officer", "headteacher");
        var trainingPolicy = await Eventually.Until(() => ceo.Training.V1.Schools[mellers].TrainingPolicy.GetAsync(),
            p => p!.Version == "1.0", EventWait, "version 1.0 reaches Training");
        trainingPolicy!.RefresherCadence.Should().NotBeNullOrEmpty();

        // ---- 4. The MIS vendor's key (issued by Policy) syncs each school's staff through Training.
        var issued = await ceo.Policy.V1.ApiKeys.PostAsync(new PolicyModels.CreateApiKeyRequest
        {
            Name = "MIS integration", Scopes = [Scopes.RosterWrite, Scopes.RosterRead, Scopes.TrainingWrite, Scopes.ComplianceRead],
        });
        var mis = new TrainingClient(Adapter(Http(h => h.Add(ApiKeySecret.HeaderName, issued!.Secret)), "training"));
        var start = today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        TrainingModels.RosterPersonRow Row(string misId, string name, params string[] roles) =>
            new() { MisId = misId, DisplayName = name, PersonType = "staff", Roles = [.. roles], StartDate = start };
        List<TrainingModels.RosterPersonRow> mellersRoster =
        [
            Row("M1", "Jo Kervick", "teacher", "e_safety_lead"), Row("M2", "Gary Phillips", "ict_technician"),
            Row("M3", "Jo Travis", "office_staff", "marketing_officer"), Row("M4", "Sam Patel", "teacher"),
        ];
        var sync = await WhileRefusedAsync(() => mis.V1.Schools[mellers].Roster.Sync.PostAsync(new TrainingModels.RosterSyncRequest { People = mellersRoster }),
            "ApiKeyIssued reaches Training, which then accepts the MIS key", 401);
        sync.Joined.Should().Be(4);
        (await mis.V1.Schools[oldBasford].Roster.Sync.PostAsync(new TrainingModels.RosterSyncRequest
        {
            People = [Row("B1", "Hannah Booth", "teacher"), Row("B2", "Brett Summersby", "teacher")],
        }))!.Joined.Should().Be(2);

        async Task<Dictionary<string, Guid>> PeopleAsync(Guid school) =>
            (await mis.V1.Schools[school].People.GetAsync(c => c.QueryParameters.Limit = 200))!.Items!.ToDictionary(p => p.MisId!, p => p.Id!.Value);
        var staff = await PeopleAsync(mellers);
        var basfordStaff = await PeopleAsync(oldBasford);
        var everyone = staff.Values.Select(p => (School: mellers, Person: p)).Concat(basfordStaff.Values.Select(p => (School: oldBasford, Person: p))).ToList();
        foreach (var (school, person) in everyone)
        {
            Requirement(await mis.V1.Schools[school].People[person].Requirements.GetAsync(), "induction").Status
                .Should().Be(TrainingModels.RequirementStatus.Due, "every joiner gets an induction requirement");
        }

        // ---- 5. Staff complete the policy course and acknowledge version 1.0 (all but Gary, for now); Accounts learns both.
        var course = (await mis.V1.Courses.PostAsync(new TrainingModels.CourseRequest { Code = "social_media_policy", Title = "Social media policy", ValidityMonths = 12 }))!.Id!.Value;
        foreach (var (school, person) in everyone)
        {
            await mis.V1.Schools[school].People[person].Completions.PostAsync(new TrainingModels.CompletionRequest
            {
                CourseId = course, CompletedOn = Day(today.AddDays(-1)), Provider = "National College", EvidenceReference = "CERT-" + person.ToString("N")[..6],
            });
            Requirement(await mis.V1.Schools[school].People[person].Requirements.GetAsync(), "induction").Status.Should().Be(TrainingModels.RequirementStatus.Done);
        }

        async Task AcknowledgeAsync(Guid school, Guid person)
        {
            var self = As(InSchool(Roles.Staff, school, "self-" + person.ToString("N")[..6], person));
            var ack = await WhileRefusedAsync(() => self.Training.V1.Schools[school].People[person].Acknowledgements.PostAsync(new TrainingModels.AcknowledgementRequest { PolicyVersionId = versionId }),
                "Training knows version 1.0", 404, 409, 422);
            ack.PersonId.Should().Be(person);
            ack.PolicyVersionId.Should().Be(versionId);
        }

        foreach (var misId in new[] { "M1", "M3", "M4" })
        {
            await AcknowledgeAsync(mellers, staff[misId]);
        }

        foreach (var person in basfordStaff.Values)
        {
            await AcknowledgeAsync(oldBasford, person);
        }

        // ---- 6. Jo Kervick applies for a Mellers sports account with Jo and Gary as administrators. The marketing officer
        // approves; the headteacher's final approval is refused (422, naming Gary) until Gary acknowledges, then succeeds.
        var jo = staff["M1"];
        var gary = staff["M2"];
        var applicant = As(InSchool(Roles.Staff, mellers, "jo", jo));
        var application = await WhileRefusedAsync(() => applicant.Accounts.V1.Applications.PostAsync(new AccountModels.ApplicationRequest
        {
            SchoolId = mellers, Platform = "facebook", Handle = "MellersSports", Administrators = [jo, gary],
            Purpose = "Share fixtures and results of Mellers' sports teams with families.",
            ProposedContent = "Fixtures, results, team photos without faces.",
            Audiences = [new AccountModels.Audience { Kind = AccountModels.AudienceKind.Families }],
            Contributors = ["PE staff"], Moderator = jo, Visibility = "closed",
            VisibilityReason = "Followers are approved so only Mellers families see pupils' sport.",
            Evaluation = "Attendance at fixtures each term.", Url = "https://facebook.com/MellersSports", OfficialEmail = "sports@mellers.example",
        }), "Accounts knows Jo and Gary as Mellers staff (StaffJoined)", 422);
        var applicationId = application.Id!.Value;
        application.Status.Should().Be(AccountModels.ApplicationStatus.Pending);
        var marketing = As(InSchool(Roles.MarketingOfficer, mellers, "jo-travis", staff["M3"]));
        (await marketing.Accounts.V1.Applications[applicationId].Decisions.PostAsync(new AccountModels.DecisionRequest
        {
            Step = "marketing_officer", Outcome = AccountModels.DecisionOutcome.Approve,
        }))!.NextStep.Should().Be("headteacher");

        Task<AccountModels.ApplicationResponse?> HeadApproves() => mellersHead.Accounts.V1.Applications[applicationId].Decisions.PostAsync(
            new AccountModels.DecisionRequest { Step = "headteacher", Outcome = AccountModels.DecisionOutcome.Approve });
        static bool Names(AccountModels.ProblemDetails problem, Guid admin) => problem.Errors is { } errors && errors.AdditionalData.ContainsKey($"administrators.{admin}");
        var waiting = await Eventually.Until(async () =>
        {
            try
            {
                return (Approved: await HeadApproves(), Problem: (AccountModels.ProblemDetails?)null);
            }
            catch (AccountModels.ProblemDetails problem) when (problem.ResponseStatusCode == 422)
            {
                return (Approved: null, Problem: problem);
            }
        }, r => r.Problem is null || (Names(r.Problem, gary) && !Names(r.Problem, jo)), EventWait,
            "Jo's training and acknowledgement reach Accounts; Gary's acknowledgement is missing");
        waiting.Problem.Should().NotBeNull("Gary has not acknowledged version 1.0");
        (await KiotaJsonSerializer.SerializeAsStringAsync(waiting.Problem!)).Should().Contain("acknowledg");

        await AcknowledgeAsync(mellers, gary);
        var approved = await WhileRefusedAsync(HeadApproves, "PolicyAcknowledged (Training) reaches Accounts", 422);
        approved.Status.Should().Be(AccountModels.ApplicationStatus.Approved);
        var account = approved.AccountId!.Value;
        (await ceo.Accounts.V1.Accounts[account].GetAsync())!.Status.Should().Be(AccountModels.AccountStatus.Live);
        foreach (var admin in new[] { jo, gary })
        {
            await Eventually.Until(() => mis.V1.Schools[mellers].People[admin].Requirements.GetAsync(), r => HasRequirement(r, "platform_training"),
                EventWait, "AccountApproved (Accounts) -> Training platform training");
        }

        // ---- 7. A pupil sends a friend request to a teacher: the case routes to the DSL and is restricted.
        var reporter = As(InSchool(Roles.Staff, mellers, "sam", staff["M4"]));
        var friendRequest = (await reporter.Incidents.V1.Schools[mellers].Cases.PostAsync(new IncidentModels.ReportCaseRequest
        {
            Type = IncidentModels.CaseType.Inappropriate_contact, Summary = "A Year 6 pupil sent a friend request to a teacher",
            Subject = new IncidentModels.SubjectRequest { Kind = IncidentModels.SubjectKind.Pupil, MisId = "P-000123" },
            InappropriateContact = new IncidentModels.InappropriateContactDetails { From = "pupil", Platform = "instagram", ContactKind = "friend_request", StaffResponded = false },
        }))!.Id!.Value;
        var dsl = As(InSchool(Roles.Dsl, mellers, "mellers-dsl"));
        var routed = (await dsl.Incidents.V1.Cases[friendRequest].GetAsync())!.CaseResponse!;
        routed.AssignedRole.Should().Be(Roles.Dsl);
        routed.Restricted.Should().BeTrue();
        var headReads = () => mellersHead.Incidents.V1.Cases[friendRequest].GetAsync();
        (await headReads.Should().ThrowAsync<IncidentModels.ProblemDetails>()).Which.ResponseStatusCode.Should().Be(404, "a restricted case is the DSL's only");

        // ---- 8. A Saturday comment on the Mellers account (24 h school) is due Monday 17:00, and escalates when unanswered.
        // GET /v1/cases/{id} answers one of CaseResponse and CaseReceipt, told apart by `view`: Kiota reads each as its own type.
        async Task<IncidentModels.CaseResponse> CommentAsync(DateTimeOffset receivedAt)
        {
            var receipt = await reporter.Incidents.V1.Schools[mellers].Cases.PostAsync(new IncidentModels.ReportCaseRequest
            {
                Type = IncidentModels.CaseType.Account_message, Summary = "A parent comments on the sports page",
                AccountMessage = new IncidentModels.AccountMessageDetails { Platform = "facebook", Kind = IncidentModels.AccountMessageKind.Comment, ReceivedAt = receivedAt, AccountId = account },
            });
            receipt!.View.Should().Be(IncidentModels.CaseReceipt_view.Receipt);
            var found = (await mellersHead.Incidents.V1.Cases[receipt.Id!.Value].GetAsync())!;
            found.CaseReceipt.Should().BeNull("the headteacher may read the whole case");
            found.CaseResponse!.Id.Should().Be(receipt.Id);
            return found.CaseResponse;
        }

        (await CommentAsync(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero))).DueAt.Should().Be(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero));
        var unanswered = await CommentAsync(new DateTimeOffset(2026, 11, 14, 10, 0, 0, TimeSpan.Zero));
        unanswered.DueAt.Should().Be(new DateTimeOffset(2026, 11, 16, 17, 0, 0, TimeSpan.Zero));
        await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
        var unansweredId = unanswered.Id!.Value;
        (await mellersHead.Incidents.V1.Cases[unansweredId].GetAsync())!.CaseResponse!.Overdue.Should().BeTrue();
        (await mellersHead.Incidents.V1.Cases[unansweredId].Timeline.GetAsync())!.Items!.Select(e => e.Kind).Should().Contain("overdue");
        var freshId = (await CommentAsync(TestClock.Now.AddMinutes(-1))).Id!.Value;
        await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
        (await mellersHead.Incidents.V1.Cases[freshId].GetAsync())!.CaseResponse!.Overdue.Should().BeFalse();

        // ---- 10. Gary leaves via the MIS sync: the account turns handover-required.
        (await mis.V1.Schools[mellers].Roster.Sync.PostAsync(new TrainingModels.RosterSyncRequest
        {
            People = mellersRoster.Where(r => r.MisId != "M2").ToList(), Deletions = ["M2"],
        }))!.Left.Should().Be(1);
        await Eventually.Until(() => ceo.Accounts.V1.Accounts[account].GetAsync(), a => a!.HandoverRequired == true, EventWait, "StaffLeft (Training) -> Accounts handover required");

        // ---- 11. The CEO's trust-wide views: deviations (Policy), compliance (Training), overdue cases (Incidents).
        var deviations = (await ceo.Policy.V1.Policy.Deviations.GetAsync())!.Settings!.ToDictionary(s => s.Key!);
        string SourceFor(string key, Guid school) => deviations[key].Schools!.Single(c => c.SchoolId == school).Source!;
        SourceFor("sla.response_hours", mellers).Should().Be("school");
        SourceFor("sla.response_hours", oldBasford).Should().Be("trust");
        SourceFor("roles.esafety_team", mellers).Should().Be("school");
        SourceFor("roles.esafety_team", oldBasford).Should().Be("school");
        (await KiotaJsonSerializer.SerializeAsStringAsync(deviations["roles.esafety_team"])).Should().Contain("Jo Kervick").And.Contain("Hannah Booth");
        deviations["journalist.rule"].Schools!.Single(c => c.SchoolId == oldBasford).Value.Should().BeOfType<UntypedString>()
            .Which.GetValue().Should().Be("headteacher_and_chair");

        var compliance = (await ceo.Training.V1.Compliance.GetAsync())!.Schools!.ToDictionary(s => s.SchoolId!.Value);
        compliance.Keys.Should().Contain([mellers, oldBasford]);
        compliance[oldBasford].Requirements!.Single(r => r.Requirement == "induction").Done.Should().Be(2);

        var overdue = (await ceo.Incidents.V1.Cases.Overdue.GetAsync(c => c.QueryParameters.Limit = 200))!.Items!.Select(i => i.Id!.Value).ToList();
        overdue.Should().Contain(unansweredId).And.NotContain(freshId);
    }
}
