using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// A DSL's case, on the console's pages in Chromium: Old Basford's DSL files a pupil conduct concern (restricted to the
/// DSL, 002 l.227), adds a screen print as evidence (000 l.138) and downloads it, notes, escalates and closes it; a refusal
/// is shown next to its field; Mellers' DSL gets the console's 404 page for that case.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class DslCaseStoryTests(ConsoleFixture fixture)
{
    private static readonly Guid OldBasford = DemoSeeder.Schools.Single(s => s.Name == "Old Basford School").Id;
    private static readonly Guid Mellers = DemoSeeder.Schools.Single(s => s.Name == "Mellers Primary School").Id;

    /// <summary>A 1x1 PNG: the API checks that a part's bytes are the image its content type says.</summary>
    private static readonly byte[] ScreenPrint = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task A_dsl_files_a_case_adds_evidence_escalates_and_closes_it_and_another_schools_dsl_gets_the_404_page()
    {
        await using var dsl = await ConsoleBrowser.SignInAsync(fixture, "Old Basford School DSL", "oldbasford-dsl");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Link, Named("Cases of Old Basford School")), "cases");
        (await dsl.HeadingAsync()).Should().Be("Cases");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Link, Named("Report a case")), "report");
        await dsl.Page.GetByLabel("Pupil conduct concern", new() { Exact = true }).CheckAsync();
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Continue")), "report-details");

        // A report without its summary is refused by the API, and the reason is shown next to the field.
        await dsl.Page.Locator("#subjectKind").SelectOptionAsync("pupil");
        await dsl.Page.Locator("#misId").FillAsync("A1234567");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Report the case")), "report-refused");
        (await dsl.Page.TitleAsync()).Should().StartWith("Error:");
        (await dsl.Page.Locator("#summary-error").TextContentAsync()).Should().Contain("Required");
        (await dsl.Page.Locator(".govuk-error-summary a[href='#summary']").CountAsync()).Should().Be(1);
        (await dsl.Page.Locator("#misId").InputValueAsync()).Should().Be("A1234567", "what was typed stays to correct");

        // Incidents learns the school and its published policy from Policy's events: the first report may come before them.
        await Eventually.Assert(async () =>
        {
            if (await dsl.Page.Locator("#summary").CountAsync() == 0)
            {
                await dsl.OpenAsync($"/schools/{OldBasford}/cases/report?type=pupil_conduct_concern");
                await dsl.Page.Locator("#subjectKind").SelectOptionAsync("pupil");
                await dsl.Page.Locator("#misId").FillAsync("A1234567");
            }

            await dsl.Page.Locator("#summary").FillAsync("A pupil posted photographs of another pupil in a class group chat; screen prints saved.");
            await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Report the case")), "report-filed");
            (await dsl.HeadingAsync()).Should().Be("Pupil conduct concern case");
        }, TimeSpan.FromSeconds(30));
        var casePath = new Uri(dsl.Page.Url).AbsolutePath;
        CaseId().IsMatch(casePath).Should().BeTrue(casePath);
        (await dsl.Page.Locator("#status").TextContentAsync()).Should().Contain("Open").And.Contain("Restricted", "a pupil conduct concern is the DSL's alone");

        // Evidence: uploaded through the typed client, then downloaded with the same bytes.
        // Captured at 14:30 on a summer's day at the school (BST): stored as 13:30 UTC whatever the server's zone, and shown
        // again as the school's clocks read it.
        var summer = new DateOnly(TestClock.Today.Year - 1, 6, 15);
        await dsl.Page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "screen-print.png", MimeType = "image/png", Buffer = ScreenPrint });
        await dsl.Page.Locator("#capturedAt").FillAsync($"{summer:yyyy-MM-dd}T14:30");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Upload evidence")), "evidence-uploaded");
        (await dsl.Page.Locator("td", new() { HasText = "15 June" }).First.TextContentAsync())!.Trim().Should().Be($"15 June {summer.Year} 14:30");
        var caseOnPage = CaseId().Match(new Uri(dsl.Page.Url).AbsolutePath).Groups[1].Value;
        using (var incidents = fixture.Incidents.ClientFor(DemoSeeder.Users().Single(u => u.Subject == "demo-oldbasford-dsl")))
        {
            var timeline = System.Text.Json.Nodes.JsonNode.Parse(await incidents.GetStringAsync($"/v1/cases/{caseOnPage}/timeline?limit=200"))!["items"]!.AsArray();
            var captured = timeline.Single(e => (string)e!["kind"]! == "evidence")!["body"]!["capturedAt"]!.GetValue<DateTimeOffset>();
            captured.Should().Be(new DateTimeOffset(summer.Year, 6, 15, 13, 30, 0, TimeSpan.Zero), "14:30 at a school in England in June is 13:30 UTC");
        }

        var link = dsl.Page.GetByRole(AriaRole.Link, Named("Download screen-print.png"));
        (await link.CountAsync()).Should().Be(1);
        var download = await dsl.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        download.SuggestedFilename.Should().Be("screen-print.png");
        await using (var saved = await download.CreateReadStreamAsync())
        using (var copy = new MemoryStream())
        {
            await saved.CopyToAsync(copy);
            copy.ToArray().Should().Equal(ScreenPrint, "the download is the evidence as it was uploaded");
        }

        await dsl.Page.Locator("#noteText").FillAsync("Parents of both pupils telephoned.");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Add note")), "note-added");
        (await dsl.Page.Locator("#timeline ~ ol").TextContentAsync()).Should().Contain("Parents of both pupils telephoned.");

        // Escalation needs a reason: refused next to the field, then escalated.
        await dsl.Page.Locator("#step").SelectOptionAsync("disciplinary");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Escalate the case")), "escalate-refused");
        (await dsl.Page.Locator("#reason-error").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        (await dsl.Page.Locator(".govuk-error-summary a[href='#reason']").CountAsync()).Should().Be(1);
        await dsl.Page.Locator("#reason").FillAsync("The photographs were shared again after the first warning.");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Escalate the case")), "escalated");
        (await dsl.Page.Locator("#escalation").TextContentAsync()).Should().Contain("Disciplinary");

        await dsl.Page.Locator("#outcome").SelectOptionAsync("disciplinary");
        await dsl.Page.Locator("#closingNote").FillAsync("Sanction applied under the behaviour policy.");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Close the case")), "closed");
        (await dsl.Page.Locator("#status").TextContentAsync()).Should().Contain("Closed");
        (await dsl.Page.Locator("#outcome-value").TextContentAsync()).Should().Contain("Disciplinary");
        (await dsl.Page.GetByRole(AriaRole.Button, Named("Close the case")).CountAsync()).Should().Be(0, "a closed case takes no more actions");

        // The list shows the case (restricted, shown because the API shows it to the DSL), and filters by status.
        (await dsl.OpenAsync($"/schools/{OldBasford}/cases?status=closed")).Should().Be(200);
        (await dsl.Page.Locator($"a[href='{casePath}']").CountAsync()).Should().Be(1);
        (await dsl.OpenAsync($"/schools/{OldBasford}/cases?status=open")).Should().Be(200);
        (await dsl.Page.Locator($"a[href='{casePath}']").CountAsync()).Should().Be(0);

        // Mellers' DSL: the case is not found, under either school's address, and the page says nothing of it.
        await using var other = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School DSL", "mellers-dsl");
        var caseId = CaseId().Match(casePath).Groups[1].Value;
        foreach (var path in new[] { casePath, $"/schools/{Mellers}/cases/{caseId}", $"/schools/{OldBasford}/cases" })
        {
            (await other.OpenAsync(path)).Should().Be(404, $"{path} is another school's");
            (await other.HeadingAsync()).Should().Be("Page not found");
            (await other.Page.ContentAsync()).Should().NotContain("photographs");
        }
    }

    [GeneratedRegex("^/schools/[0-9a-f-]{36}/cases/([0-9a-f-]{36})$")]
    private static partial Regex CaseId();
}
