using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SubjectAccessPageTests(ConsoleFixture fixture)
{
    private static readonly Guid Newbury = DemoSeeder.Schools.Single(s => s.Name == "Newbury School").Id;

    private static DevUser Demo(string subject) => DemoSeeder.Users().Single(u => u.Subject == subject);

    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task The_ceo_downloads_every_record_about_one_person_from_the_four_services_and_nothing_about_a_colleague()
    {
        // Newbury's MIS sends two members of staff (the other tests use the other schools); each is the subject of a case.
        var run = Guid.NewGuid().ToString("N")[..8];
        using var training = fixture.Training.ClientFor(Demo("demo-ceo"));
        var start = TestClock.Day(TestClock.Today.AddDays(-40));
        var roster = new
        {
            people = new[] { ("SAR-A-" + run, "Subject Person " + run), ("SAR-B-" + run, "Colleague Person " + run) }
                .Select(p => new { misId = p.Item1, displayName = p.Item2, personType = "staff", roles = new[] { "teacher" }, startDate = start }),
        };
        await Eventually.Assert(async () =>
        {
            using var synced = await training.PostAsJsonAsync($"/v1/schools/{Newbury}/roster/sync", roster);
            synced.IsSuccessStatusCode.Should().BeTrue("Training learns the school from Policy's SchoolAdded first");
        }, TimeSpan.FromSeconds(30));
        var people = await Eventually.Until(
            async () => JsonNode.Parse(await training.GetStringAsync($"/v1/schools/{Newbury}/people?limit=200"))!["items"]!.AsArray()
                .Where(p => ((string)p!["misId"]!).EndsWith(run, StringComparison.Ordinal)).ToDictionary(p => (string)p!["misId"]!, p => p!["id"]!.GetValue<Guid>()),
            p => p.Count == 2, TimeSpan.FromSeconds(30), "the roster is applied");
        var (subject, colleague) = (people["SAR-A-" + run], people["SAR-B-" + run]);

        using var incidents = fixture.Incidents.ClientFor(Demo("demo-newbury-staff"));
        async Task<Guid> ReportAsync(object report)
        {
            HttpResponseMessage? reported = null;
            await Eventually.Assert(async () =>
            {
                reported = await incidents.PostAsJsonAsync($"/v1/schools/{Newbury}/cases", report);
                reported.IsSuccessStatusCode.Should().BeTrue("Incidents learns the school's published policy from Policy's events first");
            }, TimeSpan.FromSeconds(30));
            using (reported)
            {
                return JsonNode.Parse(await reported!.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
            }
        }

        object About(Guid rosterId) => new { type = "staff_conduct_concern", summary = "A member of staff follows pupils' accounts", subject = new { kind = "staff", rosterId } };
        var aboutSubject = await ReportAsync(About(subject));
        var aboutColleague = await ReportAsync(About(colleague));
        var pupil = $"P-{run}";
        object OpenedSite(string misId) => new
        {
            type = "inappropriate_content", summary = "A pupil opened a gaming site in a lesson", subject = new { kind = "pupil", misId },
            inappropriateContent = new { date = TestClock.Day(TestClock.Today), fullUrls = new[] { "https://games.example/x" }, natureOfContent = "Violent game" },
        };
        var aboutPupil = await ReportAsync(OpenedSite(pupil));
        var aboutOtherPupil = await ReportAsync(OpenedSite($"Q-{run}"));

        // What Incidents itself answers the CEO about the subject: the bundle must carry exactly that.
        using var headIncidents = fixture.Incidents.ClientFor(Demo("demo-ceo"));
        var expectedCases = JsonNode.Parse(await headIncidents.GetStringAsync($"/v1/schools/{Newbury}/subject-access?rosterId={subject}"))!["cases"]!.AsArray()
            .Select(c => c!["case"]!["id"]!.GetValue<Guid>()).ToList();
        expectedCases.Should().Equal([aboutSubject], "the case about the subject, not the colleague's");

        await using var ceo = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-sar");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, Named("Subject access request at Newbury School")), "subject-access");
        (await ceo.HeadingAsync()).Should().Be("Subject access request");

        // The member of staff is chosen by name from the roster (Training's, leavers too).
        (await ceo.Page.Locator("#rosterId option", new() { HasText = "Subject Person " + run }).GetAttributeAsync("value")).Should().Be(subject.ToString());

        // Neither, then both: refused next to the field, nothing downloaded.
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Download the records")), "refused-empty");
        (await ceo.Page.Locator("#rosterId-error").TextContentAsync()).Should().Contain("Select the member of staff");
        await ceo.Page.Locator("#rosterId").SelectOptionAsync(subject.ToString());
        await ceo.Page.Locator("#misId").FillAsync("P-both");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Download the records")), "refused-both");
        (await ceo.Page.Locator("#rosterId-error").TextContentAsync()).Should().Contain("not both");
        (await ceo.Page.Locator(".govuk-error-summary a[href='#rosterId']").CountAsync()).Should().Be(1);
        // The log so far: the one request this test made to Incidents' API above, by the CEO, about the subject.
        var before = await LogAsync();
        before.Should().ContainSingle().Which.Should().Equal([before[0][0], "Subject Person " + run, "user:demo-ceo as Trust admin", "Incidents", "1"]);

        async Task<JsonNode> DownloadAsync(string field, string value)
        {
            await ceo.Page.Locator("#rosterId").SelectOptionAsync(field == "rosterId" ? value : "");
            await ceo.Page.Locator("#misId").FillAsync(field == "misId" ? value : "");
            var download = await ceo.Page.RunAndWaitForDownloadAsync(() => ceo.Page.GetByRole(AriaRole.Button, Named("Download the records")).ClickAsync());
            download.SuggestedFilename.Should().StartWith("subject-access-").And.EndWith(".json").And.NotContain(value, "no personal id in the file name");
            await using var stream = await download.CreateReadStreamAsync();
            return (await JsonNode.ParseAsync(stream))!;
        }

        var staff = await DownloadAsync("rosterId", subject.ToString());
        staff["school"]!["id"]!.GetValue<Guid>().Should().Be(Newbury);
        staff["subject"]!["rosterId"]!.GetValue<Guid>().Should().Be(subject);
        var parts = staff["services"]!.AsObject();
        parts.Select(p => p.Key).Should().BeEquivalentTo(["policy", "accounts", "incidents", "training"]);
        foreach (var (name, part) in parts)
        {
            part!["rosterId"]!.GetValue<Guid>().Should().Be(subject, $"{name}'s part answers for the subject");
            part["schoolId"]!.GetValue<Guid>().Should().Be(Newbury);
        }

        parts["training"]!["person"]!["misId"]!.GetValue<string>().Should().Be("SAR-A-" + run);
        parts["incidents"]!["cases"]!.AsArray().Select(c => c!["case"]!["id"]!.GetValue<Guid>()).Should().Equal(expectedCases);
        var text = staff.ToJsonString();
        text.Should().NotContain("SAR-B-" + run).And.NotContain(colleague.ToString()).And.NotContain(aboutColleague.ToString(), "nothing about a colleague");

        var child = await DownloadAsync("misId", pupil);
        child["services"]!.AsObject().Select(p => p.Key).Should().Equal(["incidents"], "only Incidents keeps pupils");
        child["notAsked"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["policy", "accounts", "training"]);
        child["services"]!["incidents"]!["cases"]!.AsArray().Select(c => c!["case"]!["id"]!.GetValue<Guid>()).Should().Equal(aboutPupil);
        child.ToJsonString().Should().NotContain(aboutOtherPupil.ToString());

        // The requests answered, as the four services logged them: the staff request once in each part (by name), the pupil's
        // in Incidents only (by MIS id), newest first, each asked by the CEO as a trust admin.
        var rows = await LogAsync();
        rows.Should().HaveCount(6);
        rows[0][1].Should().Be($"Pupil {pupil}");
        rows[0][3].Should().Be("Incidents");
        rows.Skip(1).Take(4).Select(r => r[1]).Should().AllBe("Subject Person " + run);
        rows.Skip(1).Take(4).Select(r => r[3]).Should().BeEquivalentTo(["Accounts", "Incidents", "Policy", "Training"]);
        rows[5].Should().Equal(before[0], "the first request stays, last");
        rows.Select(r => r[2]).Should().AllBe("user:demo-ceo as Trust admin");
        rows.Skip(1).Take(4).Single(r => r[3] == "Incidents")[4].Should().Be("1", "one case about the subject");

        // The requests answered at Newbury, as the page lists them: a row's cells (when, about, asked by, part, records).
        async Task<string[][]> LogAsync()
        {
            (await ceo.OpenAsync($"/schools/{Newbury}/subject-access")).Should().Be(200);
            return await ceo.Page.Locator("#log-table tbody tr").EvaluateAllAsync<string[][]>(
                "rows => rows.map(r => [...r.querySelectorAll('td')].map(c => c.textContent.trim().replace(/\\s+/g, ' ')))");
        }

        // Another school's headteacher: the console's 404 page for Newbury's.
        await using var other = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "mellers-ceo-sar");
        (await other.OpenAsync($"/schools/{Newbury}/subject-access")).Should().Be(404);
        (await other.HeadingAsync()).Should().Be("Page not found");
    }
}
