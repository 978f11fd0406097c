using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// The headteacher's pages of issue 17, on the console in Chromium: Mellers' compliance (the figures Training counts, the
/// person behind and not those who are done) and an account application to decide (a refusal without a reason is refused
/// next to the field, then the final approval the API accepts); Old Basford's headteacher gets the 404 page for both.
/// The people, their training and the application are made first through the APIs, with this test's own names.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class HeadteacherPagesTests(ConsoleFixture fixture)
{
    private static readonly Guid Mellers = DemoSeeder.Schools.Single(s => s.Name == "Mellers Primary School").Id;
    private static readonly Guid OldBasford = DemoSeeder.Schools.Single(s => s.Name == "Old Basford School").Id;

    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    private sealed record Setup(string Behind, string ReadyA, string ReadyB, string Handle, Guid ApplicationId);

    [Fact]
    public async Task Mellers_headteacher_sees_who_is_behind_and_decides_an_application_and_old_basfords_headteacher_gets_the_404_page()
    {
        var setup = await SetUpAsync();

        // ---- Compliance: the figures are Training's, and the people listed are those behind.
        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "mellers-head-i17");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Compliance of Mellers Primary School")), "compliance");
        (await head.HeadingAsync()).Should().Be("Training compliance");
        using (var training = fixture.Training.ClientFor(HeadOfMellers()))
        {
            var figures = await JsonAsync(await training.GetAsync($"/v1/schools/{Mellers}/compliance"));
            var induction = figures["requirements"]!.AsArray().Single(r => r!["requirement"]!.GetValue<string>() == "induction")!;
            induction["overdue"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1, "this test's person behind is overdue on induction");
            induction["done"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(2, "this test's two ready people have done it");
            var cells = await head.Page.Locator("#requirement-induction td").AllTextContentsAsync();
            cells.Select(c => c.Trim()).Take(4).Should().Equal(
                [.. new[] { "done", "due", "overdue", "total" }.Select(k => induction[k]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture))],
                "the page shows Training's figures as they are");
            var percent = induction["percentCompliant"]!.GetValue<decimal>().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
            cells[4].Should().Contain(percent);
        }

        // Every page of the people behind (the API's cursor): this test's person is there, overdue on induction; the ready ones are not.
        var listed = new List<string>();
        while (true)
        {
            listed.AddRange(await head.Page.Locator("#people-table tbody tr").AllTextContentsAsync());
            var next = head.Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Next page of people" });
            if (await next.CountAsync() == 0)
            {
                break;
            }

            await head.ClickAsync(next, "compliance-next");
        }

        var behindRow = listed.Select(Spaces).Where(r => r.Contains(setup.Behind, StringComparison.Ordinal)).ToList();
        behindRow.Should().ContainSingle(r => r.Contains("Induction", StringComparison.Ordinal), "the person behind is listed once per requirement missed");
        Regex.IsMatch(behindRow.Single(r => r.Contains("Induction", StringComparison.Ordinal)), @"Induction \d{1,2} \w+ \d{4} [1-9]\d*$").Should().BeTrue(
            "the row gives the day it was due and the days overdue: " + behindRow[0]);
        listed.Should().NotContain(r => r.Contains(setup.ReadyA, StringComparison.Ordinal) || r.Contains(setup.ReadyB, StringComparison.Ordinal), "those who are done are not behind");

        // ---- The application: listed as pending, opened, refused without a reason (refused next to the field), then approved.
        await head.OpenAsync("/");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Account applications of Mellers Primary School")), "applications");
        (await head.HeadingAsync()).Should().Be("Account applications");
        var title = $"{setup.Handle} on Facebook";
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named(title)), "application");
        (await head.HeadingAsync()).Should().Be($"Application for {title}");
        (await head.Page.Locator("#business-case-list").TextContentAsync()).Should().Contain("Share fixtures and results");
        (await head.Page.Locator("#administrator-list").TextContentAsync()).Should().Contain(setup.ReadyA).And.Contain(setup.ReadyB);
        Spaces((await head.Page.Locator("#chain-list").TextContentAsync())!).Should().Contain("Marketing officer: approved by").And.Contain("Headteacher: awaiting a decision");

        await head.Page.GetByLabel("Refuse", new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Record decision")), "application-refusal-refused");
        (await head.Page.TitleAsync()).Should().StartWith("Error:");
        (await head.Page.Locator("#reason-error").TextContentAsync()).Should().Contain("Say why");
        (await head.Page.Locator(".govuk-error-summary a[href='#reason']").CountAsync()).Should().Be(1);
        (await head.Page.Locator("#status").TextContentAsync()).Should().Contain("Pending", "a refused refusal decides nothing");

        // The final approval needs the administrators' training and acknowledgements, which reach Accounts by event: until then
        // the API refuses it (422, shown on the page) and the headteacher tries again.
        await Eventually.Assert(async () =>
        {
            await head.Page.GetByLabel("Approve", new PageGetByLabelOptions { Exact = true }).CheckAsync();
            await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Record decision")), "application-approve");
            (await head.Page.Locator("#status").TextContentAsync()).Should().Contain("Approved");
        }, TimeSpan.FromSeconds(30));
        (await head.Page.Locator(".govuk-notification-banner").TextContentAsync()).Should().Contain("Application approved");
        Spaces((await head.Page.Locator("#chain-list").TextContentAsync())!).Should().Contain("Headteacher: approved by");
        (await head.Page.GetByRole(AriaRole.Button, Named("Record decision")).CountAsync()).Should().Be(0, "a decided application takes no more decisions");
        using (var accounts = fixture.Accounts.ClientFor(HeadOfMellers()))
        {
            (await JsonAsync(await accounts.GetAsync($"/v1/applications/{setup.ApplicationId}")))["status"]!.GetValue<string>().Should().Be("approved");
        }

        // Decided, it leaves the list awaiting a decision and is listed as approved, with when and by whom.
        var applicationLink = $"a[href='/schools/{Mellers}/applications/{setup.ApplicationId}']";
        (await head.OpenAsync($"/schools/{Mellers}/applications")).Should().Be(200);
        (await head.Page.Locator(applicationLink).CountAsync()).Should().Be(0, "it awaits no decision any more");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Approved")), "applications-approved");
        (await head.Page.Locator("#statuses [aria-current=page]").TextContentAsync()).Should().Be("Approved");
        var row = head.Page.Locator("#applications tbody tr", new() { Has = head.Page.Locator(applicationLink) });
        (await row.CountAsync()).Should().Be(1, "the approved list has it");
        (await row.Locator("td").AllTextContentsAsync()).Select(c => c.Trim()).Should().HaveCount(3).And.NotContain(string.Empty, "applied, decided and by whom are all shown");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Refused")), "applications-refused");
        (await head.Page.Locator(applicationLink).CountAsync()).Should().Be(0);

        // ---- An offensive comment on the new account: the report form offers it from the register, takes its platform
        // from there when none is typed, and the case page names the account rather than its id.
        using (var incidents = fixture.Incidents.ClientFor(HeadOfMellers()))
        {
            await Eventually.Until(async () => (await incidents.GetAsync($"/v1/schools/{Mellers}/incident-policy")).StatusCode, s => s == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), "Incidents has Mellers' published policy");
        }

        Guid accountId;
        using (var accounts = fixture.Accounts.ClientFor(HeadOfMellers()))
        {
            var register = await JsonAsync(await accounts.GetAsync($"/v1/accounts?schoolId={Mellers}&platform=facebook&limit=200"));
            accountId = register["items"]!.AsArray().Single(a => a!["handle"]!.GetValue<string>() == setup.Handle)!["id"]!.GetValue<Guid>();
        }

        (await head.OpenAsync($"/schools/{Mellers}/cases/report?type=offensive_comment")).Should().Be(200);
        var accountName = $"Facebook: {setup.Handle}";
        (await head.Page.Locator("#accountId option", new() { HasText = accountName }).CountAsync()).Should().Be(1, "the approved account is in the register");
        await head.Page.Locator("#summary").FillAsync("An adult posted an offensive comment under the fixtures post.");
        await head.Page.Locator("#accountId").SelectOptionAsync(new SelectOptionValue { Label = accountName });
        await head.Page.Locator("#moderation").SelectOptionAsync("delete");
        await head.Page.Locator("#audienceInformed").CheckAsync();
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Report the case")), "offensive-comment-filed");
        (await head.HeadingAsync()).Should().Be("Offensive comment case");
        (await head.Page.Locator("[data-detail=accountId] dd").TextContentAsync())!.Trim().Should().Be(accountName);
        (await head.Page.Locator("[data-detail=platform] dd").TextContentAsync())!.Trim().Should().Be("facebook", "the account's platform, as none was typed");
        (await head.Page.Locator("[data-detail=action] dd").TextContentAsync())!.Trim().Should().Be("Delete");
        (await head.Page.Locator("[data-detail=audienceInformed] dt").TextContentAsync())!.Trim().Should().Be("Were the account's followers told why?");
        var caseId = Guid.Parse(new Uri(head.Page.Url).AbsolutePath.Split('/')[^1]);
        using (var incidents = fixture.Incidents.ClientFor(HeadOfMellers()))
        {
            var filed = await JsonAsync(await incidents.GetAsync($"/v1/cases/{caseId}"));
            filed["details"]!["accountId"]!.GetValue<Guid>().Should().Be(accountId, "the form sent the register's id");
        }

        // ---- The CEO may open every school's compliance; Old Basford's headteacher gets the 404 page for Mellers'.
        await using var ceo = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-i17");
        (await ceo.OpenAsync($"/schools/{Mellers}/compliance")).Should().Be(200);
        (await ceo.HeadingAsync()).Should().Be("Training compliance");

        await using var other = await ConsoleBrowser.SignInAsync(fixture, "Old Basford School headteacher", "oldbasford-head-i17");
        (await other.OpenAsync($"/schools/{OldBasford}/compliance")).Should().Be(200, "their own school's page opens");
        foreach (var path in new[]
                 {
                     $"/schools/{Mellers}/compliance", $"/schools/{Mellers}/applications", $"/schools/{Mellers}/applications/{setup.ApplicationId}",
                     $"/schools/{OldBasford}/applications/{setup.ApplicationId}",
                 })
        {
            (await other.OpenAsync(path)).Should().Be(404, $"{path} is another school's");
            (await other.HeadingAsync()).Should().Be("Page not found");
            (await other.Page.ContentAsync()).Should().NotContain(setup.Behind).And.NotContain(setup.Handle);
        }
    }

    /// <summary>
    /// Three people of this run at Mellers: one who started long ago and never did the induction course (behind), and two
    /// who did it and acknowledged the current policy version (ready to administer an account); then an application naming
    /// the two, filed by a member of staff and approved by the marketing officer, so it awaits the headteacher.
    /// </summary>
    private async Task<Setup> SetUpAsync()
    {
        // Digits only: the names below end in it, and a surname of four letters or more found in the handle would make the
        // application break the naming rule (004: "MellersI17" + a run of hex letters such as "a1bcd2" did, 1 run in 7).
        var run = Random.Shared.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var today = TestClock.Today;
        string Day(DateOnly d) => TestClock.Day(d);
        var behind = $"Behind {run}";
        var readyA = $"Ready Alex {run}";
        var readyB = $"Ready Billie {run}";
        using var training = fixture.Training.ClientFor(HeadOfMellers());

        // Long past any induction window (the policy's is days), so overdue whatever the window or the day.
        object Row(string misId, string name, DateOnly start) =>
            new { misId, displayName = name, personType = "staff", roles = new[] { "office_staff" }, startDate = Day(start), leaveDate = (string?)null };
        var sync = await Eventually.Until(
            () => training.PostAsJsonAsync($"/v1/schools/{Mellers}/roster/sync", new
            {
                people = new[] { Row($"I17B{run}", behind, today.AddDays(-120)), Row($"I17A{run}", readyA, today.AddDays(-10)), Row($"I17C{run}", readyB, today.AddDays(-10)) },
            }),
            r => r.StatusCode != HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "Training knows Mellers (SchoolAdded)");
        (await JsonAsync(sync))["joined"]!.GetValue<int>().Should().Be(3);
        var ids = await PeopleAsync(training);
        var (behindId, readyAId, readyBId) = (ids[$"I17B{run}"], ids[$"I17A{run}"], ids[$"I17C{run}"]);

        // The social media policy course (the induction's), made once per trust.
        Guid course;
        using (var ceo = fixture.Training.ClientFor(new DevUser($"i17-ceo-{run}", "CEO (test)", DemoSeeder.TrustId, [Roles.TrustAdmin])))
        {
            async Task<Guid?> FindAsync() => (await JsonAsync(await ceo.GetAsync("/v1/courses?limit=200")))["items"]!.AsArray()
                .Where(c => c!["code"]!.GetValue<string>() == "social_media_policy").Select(c => (Guid?)c!["id"]!.GetValue<Guid>()).FirstOrDefault();
            course = await FindAsync() ?? await CreateCourseAsync(ceo) ?? await FindAsync() ?? throw new InvalidOperationException("No social_media_policy course");
        }

        foreach (var person in new[] { readyAId, readyBId })
        {
            await Http.EnsureSuccessAsync(await training.PostAsJsonAsync($"/v1/schools/{Mellers}/people/{person}/completions",
                new { courseId = course, completedOn = Day(today), provider = "National College", evidenceReference = $"I17-{run}" }));
        }

        var versionId = await Eventually.Until(
            async () => (await JsonAsync(await training.GetAsync($"/v1/schools/{Mellers}/training-policy")))["policyVersionId"]?.GetValue<string>() is { } id ? Guid.Parse(id) : (Guid?)null,
            v => v is not null, TimeSpan.FromSeconds(30), "Training knows Mellers' published policy");
        foreach (var person in new[] { readyAId, readyBId })
        {
            using var self = fixture.Training.ClientFor(new DevUser($"i17-self-{person:N}", "Staff (test)", DemoSeeder.TrustId, [$"{Roles.Staff}:{Mellers}"], person));
            await Http.EnsureSuccessAsync(await self.PostAsJsonAsync($"/v1/schools/{Mellers}/people/{person}/acknowledgements", new { policyVersionId = versionId }));
        }

        // The application, by the member of staff behind on training (anyone on the staff may apply, 000/003/004).
        var handle = $"MellersI17{run}";
        using var applicant = fixture.Accounts.ClientFor(new DevUser($"i17-applicant-{run}", behind, DemoSeeder.TrustId, [$"{Roles.Staff}:{Mellers}"], behindId));
        var created = await Eventually.Until(
            async () =>
            {
                // The answer's status and body, so a timeout says which rule still refused it.
                using var response = await applicant.PostAsJsonAsync("/v1/applications", new
            {
                schoolId = Mellers, platform = "facebook", handle, administrators = new[] { readyAId, readyBId },
                purpose = "Share fixtures and results of Mellers' sports teams with families.",
                proposedContent = "Fixtures, results, team photos without faces.",
                audiences = new object[] { new { kind = "families" } },
                contributors = new[] { "PE staff" }, moderator = readyAId, visibility = "closed",
                visibilityReason = "Followers are approved so only Mellers families see pupils' sport.",
                evaluation = "Attendance at fixtures each term.",
            });
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            r => r.StatusCode is not (HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound), TimeSpan.FromSeconds(30),
            "Accounts knows Mellers and its new staff (SchoolAdded, StaffJoined) and their training (TrainingCompleted, PolicyAcknowledged)");
        created.StatusCode.Should().Be(HttpStatusCode.Created, created.Body);
        var applicationId = JsonNode.Parse(created.Body)!["id"]!.GetValue<Guid>();
        using var marketing = fixture.Accounts.ClientFor(new DevUser($"i17-marketing-{run}", "Marketing officer (test)", DemoSeeder.TrustId, [$"{Roles.MarketingOfficer}:{Mellers}"]));
        await Http.EnsureSuccessAsync(await marketing.PostAsJsonAsync($"/v1/applications/{applicationId}/decisions", new { step = "marketing_officer", outcome = "approve" }));
        return new Setup(behind, readyA, readyB, handle, applicationId);
    }

    private static async Task<Guid?> CreateCourseAsync(HttpClient ceo)
    {
        var response = await ceo.PostAsJsonAsync("/v1/courses", new { code = "social_media_policy", title = "Social media policy", validityMonths = 12 });
        // Another test may have made it first: the code is refused, and the caller reads it back.
        return response.StatusCode == HttpStatusCode.Created ? (await JsonAsync(response))["id"]!.GetValue<Guid>() : null;
    }

    /// <summary>Every person on Mellers' roster by MIS id, through the list's cursor.</summary>
    private static async Task<Dictionary<string, Guid>> PeopleAsync(HttpClient training)
    {
        var people = new Dictionary<string, Guid>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await training.GetAsync($"/v1/schools/{Mellers}/people?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            foreach (var p in page["items"]!.AsArray())
            {
                if (p!["misId"]?.GetValue<string>() is { } mis)
                {
                    people[mis] = p["id"]!.GetValue<Guid>();
                }
            }

            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return people;
    }

    private static DevUser HeadOfMellers() => new("i17-mellers-head", "Mellers headteacher (test)", DemoSeeder.TrustId, [$"{Roles.Headteacher}:{Mellers}"]);

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        await Http.EnsureSuccessAsync(response);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string Spaces(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
