using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// The report form in Chromium, for every type of case: the type is asked first (nothing chosen is refused on the page),
/// then the details that type needs. A cyberbullying report missing who was bullied is refused by the API next to that
/// field; filed, its time typed at the school is stored as the instant it names there. A concern about a member of staff
/// names them from the school's roster (for those who may read it); a member of staff, who may not, is not offered it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ReportFormTests(ConsoleFixture fixture)
{
    private static readonly Guid OldBasford = DemoSeeder.Schools.Single(s => s.Name == "Old Basford School").Id;

    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task A_headteacher_reports_cyberbullying_with_its_details_and_a_concern_about_a_named_member_of_staff()
    {
        var run = Random.Shared.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var colleague = $"Named Colleague {run}";
        var colleagueId = await AddToRosterAsync($"RPT{run}", colleague);
        await IncidentsKnowsOldBasfordAsync();

        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Old Basford School headteacher", "report-form-head");
        (await head.OpenAsync($"/schools/{OldBasford}/cases/report")).Should().Be(200);
        (await head.HeadingAsync()).Should().Be("What kind of case is it?");
        (await head.Page.Locator("input[name=type]").CountAsync()).Should().Be(11, "every type of case but a blocked-site request, which is Policy's");

        // Nothing chosen: refused on the page, with the summary's link to the first choice.
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Continue")), "type-missing");
        (await head.Page.TitleAsync()).Should().StartWith("Error:");
        (await head.Page.Locator("#type-error").TextContentAsync()).Should().Contain("Select the type of case");
        (await head.Page.Locator(".govuk-error-summary a[href='#type']").CountAsync()).Should().Be(1);

        await head.Page.GetByLabel("Cyberbullying", new() { Exact = true }).CheckAsync();
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Continue")), "cyberbullying");
        (await head.HeadingAsync()).Should().Be("Report a case: Cyberbullying");

        // Who was bullied left out: the API's refusal is shown next to that field, and what was typed stays.
        var summer = new DateOnly(TestClock.Today.Year - 1, 6, 15);
        await head.Page.Locator("#summary").FillAsync("A pupil was sent threatening messages in a class group chat over the weekend.");
        await head.Page.Locator("#perpetrator").SelectOptionAsync("pupil");
        await head.Page.Locator("#happenedAt").FillAsync($"{summer:yyyy-MM-dd}T14:30");
        await head.Page.Locator("#platform").FillAsync("WhatsApp");
        await head.Page.Locator("#subjectKind").SelectOptionAsync("pupil");
        await head.Page.Locator("#misId").FillAsync("A7654321");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Report the case")), "victim-missing");
        (await head.Page.TitleAsync()).Should().StartWith("Error:");
        (await head.Page.Locator("#victim-error").TextContentAsync()).Should().Contain("Who was bullied: ", "the API's reason names no field: the console's message does");
        (await head.Page.Locator(".govuk-error-summary a[href='#victim']").AllTextContentsAsync()).Should().Contain(m => m.Contains("Who was bullied: "));
        (await head.Page.Locator("#platform").InputValueAsync()).Should().Be("WhatsApp", "what was typed stays to correct");
        (await head.Page.Locator("#happenedAt").InputValueAsync()).Should().Be($"{summer:yyyy-MM-dd}T14:30");

        await head.Page.Locator("#victim").SelectOptionAsync("pupil");
        var cyberbullying = await FileAsync(head, "cyberbullying-filed", "Cyberbullying case");

        (await head.Page.Locator("[data-detail]").CountAsync()).Should().Be(0, "the headteacher who filed it is not its handler: a receipt, no details");

        // The DSL's case page reads the details back under the questions the form asked, the time as the school's clock showed it.
        await using (var dsl = await ConsoleBrowser.SignInAsync(fixture, "Old Basford School DSL", "report-form-dsl"))
        {
            (await dsl.OpenAsync($"/schools/{OldBasford}/cases/{cyberbullying}")).Should().Be(200);
            (await dsl.Page.Locator("[data-detail=victim] dt").TextContentAsync())!.Trim().Should().Be("Who was bullied");
            (await dsl.Page.Locator("[data-detail=victim] dd").TextContentAsync())!.Trim().Should().Be("Pupil");
            (await dsl.Page.Locator("[data-detail=perpetrator] dt").TextContentAsync())!.Trim().Should().Be("Who is bullying them");
            (await dsl.Page.Locator("[data-detail=platform] dd").TextContentAsync())!.Trim().Should().Be("WhatsApp");
            (await dsl.Page.Locator("[data-detail=incidentAt] dd").TextContentAsync())!.Trim().Should().Be($"15 June {summer.Year} 14:30", "13:30 UTC read at the school");
        }
        var filed = await CaseAsync(cyberbullying);
        filed["type"]!.GetValue<string>().Should().Be("cyberbullying");
        filed["details"]!["victim"]!.GetValue<string>().Should().Be("pupil");
        filed["details"]!["perpetrator"]!.GetValue<string>().Should().Be("pupil");
        filed["details"]!["platform"]!.GetValue<string>().Should().Be("WhatsApp");
        filed["details"]!["incidentAt"]!.GetValue<DateTimeOffset>().Should().Be(
            new DateTimeOffset(summer.Year, 6, 15, 13, 30, 0, TimeSpan.Zero), "14:30 at a school in England in June is 13:30 UTC");
        filed["subject"]!["misId"]!.GetValue<string>().Should().Be("A7654321");

        // A concern about a member of staff: named from the roster, sent as their roster id.
        (await head.OpenAsync($"/schools/{OldBasford}/cases/report?type=staff_conduct_concern")).Should().Be(200);
        (await head.HeadingAsync()).Should().Be("Report a case: Staff conduct concern");
        await head.Page.Locator("#summary").FillAsync("A member of staff accepted a current pupil's friend request on a personal account.");
        await head.Page.Locator("#subjectKind").SelectOptionAsync("staff");
        (await head.Page.Locator("#rosterId option", new() { HasText = colleague }).CountAsync()).Should().Be(1, "the roster lists them (AddToRosterAsync waited for it)");
        await head.Page.Locator("#rosterId").SelectOptionAsync(new SelectOptionValue { Label = colleague });
        var concern = await FileAsync(head, "staff-concern-filed", "Staff conduct concern case");
        var about = await CaseAsync(concern);
        about["subject"]!["kind"]!.GetValue<string>().Should().Be("staff");
        about["subject"]!["rosterId"]!.GetValue<Guid>().Should().Be(colleagueId);

        // A member of staff may not read the roster: the form names nobody, and offers a pupil, an adult or someone unknown.
        await using var staff = await ConsoleBrowser.SignInAsync(fixture, "Old Basford School staff member", "report-form-staff");
        (await staff.OpenAsync($"/schools/{OldBasford}/cases/report?type=staff_conduct_concern")).Should().Be(200);
        (await staff.Page.Locator("#subjectKind option[value=staff]").CountAsync()).Should().Be(0);
        (await staff.Page.Locator("#rosterId").CountAsync()).Should().Be(0);
        (await staff.Page.Locator("#subjectKind option").AllTextContentsAsync()).Should().Contain("A pupil");
    }

    /// <summary>Submits the form and returns the case's id from the page it leads to.</summary>
    private static async Task<Guid> FileAsync(ConsoleBrowser browser, string name, string heading)
    {
        await browser.ClickAsync(browser.Page.GetByRole(AriaRole.Button, Named("Report the case")), name);
        (await browser.HeadingAsync()).Should().Be(heading);
        return Guid.Parse(CaseId().Match(new Uri(browser.Page.Url).AbsolutePath).Groups[1].Value);
    }

    /// <summary>Incidents learns the school and its published policy from Policy's events: a report before them is a 404.</summary>
    private async Task IncidentsKnowsOldBasfordAsync()
    {
        using var dsl = fixture.Incidents.ClientFor(DemoSeeder.Users().Single(u => u.Subject == "demo-oldbasford-dsl"));
        await Eventually.Until(async () => (await dsl.GetAsync($"/v1/schools/{OldBasford}/incident-policy")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "Incidents has Old Basford's published policy");
    }

    /// <summary>The case as its school's DSL reads it from the API.</summary>
    private async Task<JsonNode> CaseAsync(Guid id)
    {
        using var dsl = fixture.Incidents.ClientFor(DemoSeeder.Users().Single(u => u.Subject == "demo-oldbasford-dsl"));
        using var response = await dsl.GetAsync($"/v1/cases/{id}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Adds one person to Old Basford's roster (a sync upserts by MIS id and leaves the others be); returns their roster id.</summary>
    private async Task<Guid> AddToRosterAsync(string misId, string name)
    {
        using var training = fixture.Training.ClientFor(DemoSeeder.Users().Single(u => u.Subject == "demo-oldbasford-headteacher"));
        var row = new { misId, displayName = name, personType = "staff", roles = new[] { "teacher" }, startDate = TestClock.Day(TestClock.Today.AddDays(-30)), leaveDate = (string?)null };
        await Eventually.Until(
            () => training.PostAsJsonAsync($"/v1/schools/{OldBasford}/roster/sync", new { people = new[] { row } }),
            r => r.StatusCode != HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "Training knows Old Basford (SchoolAdded)");
        return await Eventually.Until(async () =>
        {
            string? cursor = null;
            do
            {
                var page = JsonNode.Parse(await training.GetStringAsync($"/v1/schools/{OldBasford}/people?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
                if (page["items"]!.AsArray().FirstOrDefault(p => p!["misId"]!.GetValue<string>() == misId) is { } person)
                {
                    return person["id"]!.GetValue<Guid>();
                }

                cursor = page["nextCursor"]?.GetValue<string>();
            }
            while (cursor is not null);

            return Guid.Empty;
        }, id => id != Guid.Empty, TimeSpan.FromSeconds(30), "the synced person is on the roster");
    }

    [GeneratedRegex("^/schools/[0-9a-f-]{36}/cases/([0-9a-f-]{36})$")]
    private static partial Regex CaseId();
}
