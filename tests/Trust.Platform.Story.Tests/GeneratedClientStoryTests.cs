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
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;
using IncidentModels = Trust.Platform.Client.Incidents.Models;
using PolicyModels = Trust.Platform.Client.Policy.Models;
using TrainingModels = Trust.Platform.Client.Training.Models;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The AET rollout as an integrator writes it: only the typed clients Kiota generates from the committed contracts
/// (clients/csharp), against a gateway listening on a real port. A contract that does not describe what the services
/// do breaks this test where a client generated from it would break.
/// </summary>
[Collection(StoryCollection.Name)]
public sealed class GeneratedClientStoryTests(StoryFixture fixture)
{
    private static readonly DevUser Operator = new("kiota-operator", "Operator", null, [Roles.PlatformOperator]);

    private HttpClient Http(Action<HttpRequestHeaders> credentials)
    {
        // Kiota's own pipeline (retry, redirect, headers inspection...), as a generated client's user gets it.
        var http = KiotaClientFactory.Create();
        http.BaseAddress = new Uri(fixture.RealGatewayAddress());
        credentials(http.DefaultRequestHeaders);
        return http;
    }

    private HttpClientRequestAdapter Adapter(HttpClient http, string service) =>
        new(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') + "/" + service };

    private (PolicyClient Policy, IncidentsClient Incidents, AccountsClient Accounts, TrainingClient Training, HttpClient Http) As(DevUser user)
    {
        var http = Http(h => h.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Policy.Token(user)));
        return (new PolicyClient(Adapter(http, "policy")), new IncidentsClient(Adapter(http, "incidents")),
            new AccountsClient(Adapter(http, "accounts")), new TrainingClient(Adapter(http, "training")), http);
    }

    /// <summary>Reads the ETag a GET answers, through Kiota's response-headers option, for the If-Match of the write.</summary>
    private static async Task<string> ETagAsync(Func<Action<RequestConfiguration<DefaultQueryParameters>>, Task> get)
    {
        var inspect = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await get(c => c.Options.Add(inspect));
        return inspect.ResponseHeaders["ETag"].Single();
    }

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
        var op = As(Operator);
        var trust = await op.Policy.V1.Trusts.PostAsync(new PolicyModels.CreateTrustRequest
        {
            Name = "Aspire Educational Trust", FirstAdmin = new PolicyModels.FirstAdminRequest { DisplayName = "AET chief executive", Email = "ceo@aet.example" },
        });
        var trustId = trust!.Id!.Value;
        var ceo = As(new DevUser("kiota-ceo", "AET chief executive", trustId, [Roles.TrustAdmin]));
        var mellers = (await ceo.Policy.V1.Schools.PostAsync(new PolicyModels.SchoolRequest
        {
            Name = "Mellers Primary School", Urn = "140103", Phase = PolicyModels.SchoolPhase.Primary, LocalAuthority = "Nottingham",
        }))!.Id!.Value;

        // The trust's baseline (seed 002), then Mellers' own values (seed 003), each PUT with the ETag it read.
        foreach (var (key, value) in DemoPolicy.Baseline(today))
        {
            var etag = await ETagAsync(c => ceo.Policy.V1.Policy.Baseline.GetAsync(c));
            await ceo.Policy.V1.Policy.Baseline[key].PutAsync(new PolicyModels.UpdateBaselineSettingRequest { Value = Untyped(value) }, c => c.Headers.Add("If-Match", etag));
        }

        var head = As(new DevUser($"kiota-head-{mellers:N}", "Mellers headteacher", trustId, [$"{Roles.Headteacher}:{mellers}"]));
        foreach (var (key, value) in DemoPolicy.Schools(today)["Mellers Primary School"])
        {
            var etag = await ETagAsync(c => head.Policy.V1.Schools[mellers].Policy.Overrides.GetAsync(c));
            await head.Policy.V1.Schools[mellers].Policy.Overrides[key].PutAsync(new PolicyModels.SetOverrideRequest { Value = Untyped(value) }, c => c.Headers.Add("If-Match", etag));
        }

        // A refusal is the contract's typed problem, naming the rule.
        var tooSlow = async () =>
        {
            var etag = await ETagAsync(c => head.Policy.V1.Schools[mellers].Policy.Overrides.GetAsync(c));
            await head.Policy.V1.Schools[mellers].Policy.Overrides["sla.response_hours"].PutAsync(
                new PolicyModels.SetOverrideRequest { Value = new UntypedInteger(72) }, c => c.Headers.Add("If-Match", etag));
        };
        (await tooSlow.Should().ThrowAsync<PolicyModels.ProblemDetails>()).Which.ResponseStatusCode.Should().Be(422);

        // Version 1.0: draft, approve, publish; the other services learn it from PolicyPublished.
        var version = await ceo.Policy.V1.Policy.Versions.PostAsync(new PolicyModels.DraftVersionRequest { Kind = PolicyModels.VersionKind.Major, Summary = "AET social media policy 1.0" });
        await ceo.Policy.V1.Policy.Versions[version!.Id!.Value].Approve.PostAsync(new PolicyModels.ApproveVersionRequest
        {
            ApproverName = "Chair of the Board of Trustees", ApprovingBody = "Board of Trustees", ApprovedOn = new Date(today.Year, today.Month, today.Day),
        });
        await ceo.Policy.V1.Policy.Versions[version.Id!.Value].Publish.PostAsync();

        var incidentPolicy = await Eventually.Until(() => ceo.Incidents.V1.Schools[mellers].IncidentPolicy.GetAsync(),
            p => p?.Sla?.ResponseHours == 24, TimeSpan.FromSeconds(20), "Mellers' 24-hour SLA reaches Incidents");
        incidentPolicy!.Source.Should().Contain("1.0");
        var accountPolicy = await Eventually.Until(() => ceo.Accounts.V1.Schools[mellers].AccountPolicy.GetAsync(),
            p => p?.Version == "1.0", TimeSpan.FromSeconds(20), "version 1.0 reaches Accounts");
        accountPolicy!.MinimumAdministrators.Should().Be(2);

        // The MIS vendor's key syncs Mellers' e-safety team into Training (seed 003 names them).
        var issued = await ceo.Policy.V1.ApiKeys.PostAsync(new PolicyModels.CreateApiKeyRequest
        {
            Name = "MIS integration", Scopes = [Scopes.RosterWrite, Scopes.RosterRead],
        });
        var misHttp = Http(h => h.Add(ApiKeySecret.HeaderName, issued!.Secret));
        var mis = new TrainingClient(Adapter(misHttp, "training"));
        var start = today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        TrainingModels.RosterPersonRow Row(string misId, string name, params string[] roles) =>
            new() { MisId = misId, DisplayName = name, PersonType = "staff", Roles = [.. roles], StartDate = start };
        var sync = await Eventually.Until(async () =>
            {
                try
                {
                    return await mis.V1.Schools[mellers].Roster.Sync.PostAsync(new TrainingModels.RosterSyncRequest
                    {
                        People = [Row("M1", "Jo Kervick", "teacher", "e_safety_lead"), Row("M2", "Gary Phillips", "ict_technician"), Row("M3", "Jo Travis", "office_staff")],
                    });
                }
                catch (ApiException e) when (e.ResponseStatusCode == 401)
                {
                    return null; // ApiKeyIssued has not reached Training yet
                }

            },
            r => r is not null, TimeSpan.FromSeconds(20), "Training accepts the MIS key");
        sync!.Joined.Should().Be(3);

        // A member of staff reports cyberbullying; the receipt says it was received and is open.
        var reporter = As(new DevUser($"kiota-staff-{mellers:N}", "Mellers teacher", trustId, [$"{Roles.Staff}:{mellers}"]));
        var receipt = await reporter.Incidents.V1.Schools[mellers].Cases.PostAsync(new IncidentModels.ReportCaseRequest
        {
            Type = IncidentModels.CaseType.Cyberbullying, Summary = "Year 6 group chat targets one pupil",
            Cyberbullying = new IncidentModels.CyberbullyingDetails
            {
                Victim = IncidentModels.VictimKind.Pupil, Perpetrator = IncidentModels.PerpetratorKind.Pupil, IncidentAt = TestClock.Now.AddDays(-1), Platform = "whatsapp",
            },
        });
        receipt!.Status.Should().Be(IncidentModels.CaseStatus.Open);
        receipt.Type.Should().Be(IncidentModels.CaseType.Cyberbullying);

        foreach (var http in new[] { op.Http, ceo.Http, head.Http, reporter.Http, misHttp })
        {
            http.Dispose();
        }
    }
}
