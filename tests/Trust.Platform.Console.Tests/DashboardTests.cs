using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class DashboardTests(ConsoleFixture fixture)
{
    private static readonly (Guid Id, string Name) Brierley = DemoSeeder.Schools.Where(s => s.Name == "Brierley Hill Primary School").Select(s => (s.Id, s.Name)).Single();

    private static DevUser Demo(string subject) => DemoSeeder.Users().Single(u => u.Subject == subject);

    [Fact]
    public async Task The_ceo_sees_each_schools_compliance_its_overdue_cases_and_the_reviews_due_and_a_headteacher_gets_the_404_page()
    {
        // Brierley Hill's MIS sends its staff (the other tests use the other schools): Training counts their requirements.
        using var training = fixture.Training.ClientFor(Demo("demo-ceo"));
        var start = TestClock.Today.AddYears(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var roster = new
        {
            people = Enumerable.Range(1, 6).Select(i => new
            {
                misId = $"DASH{i}", displayName = $"Dashboard Person {i}", personType = "staff",
                roles = i % 2 == 0 ? new[] { "teacher" } : ["support_staff"], startDate = start,
            }),
        };
        await Eventually.Assert(async () =>
        {
            using var synced = await training.PostAsJsonAsync($"/v1/schools/{Brierley.Id}/roster/sync", roster);
            synced.IsSuccessStatusCode.Should().BeTrue("Training learns the school from Policy's SchoolAdded first");
        }, TimeSpan.FromSeconds(30));
        // Two of them have done the social media policy course: the school is neither at nothing nor at everything.
        // The trust's catalogue starts empty (another test may have added the course first).
        var course = JsonNode.Parse(await training.GetStringAsync("/v1/courses?limit=200"))!["items"]!.AsArray()
            .SingleOrDefault(c => (string)c!["code"]! == "social_media_policy")?["id"]!.GetValue<Guid>();
        if (course is null)
        {
            using var added = await training.PostAsJsonAsync("/v1/courses", new { code = "social_media_policy", title = "Social Media Policy: new starter induction" });
            await Http.EnsureSuccessAsync(added);
            course = JsonNode.Parse(await added.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        }

        var people = await Eventually.Until(
            async () => JsonNode.Parse(await training.GetStringAsync($"/v1/schools/{Brierley.Id}/people?limit=200"))!["items"]!.AsArray(),
            p => p.Count(x => ((string)x!["misId"]!).StartsWith("DASH", StringComparison.Ordinal)) == 6, TimeSpan.FromSeconds(30), "the roster is applied");
        foreach (var person in people.Where(x => (string)x!["misId"]! is "DASH1" or "DASH2"))
        {
            using var completed = await training.PostAsJsonAsync($"/v1/schools/{Brierley.Id}/people/{(Guid)person!["id"]!}/completions",
                new { courseId = course, completedOn = TestClock.Today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), provider = "Trust induction day" });
            await Http.EnsureSuccessAsync(completed);
        }

        var figures = await Eventually.Until(
            async () => JsonNode.Parse(await training.GetStringAsync("/v1/compliance"))!["schools"]!.AsArray()
                .Single(s => (Guid)s!["schoolId"]! == Brierley.Id)!["requirements"]!.AsArray(),
            r => r.Sum(x => (int)x!["total"]!) > 0 && r.Sum(x => (int)x!["done"]!) > 0, TimeSpan.FromSeconds(30), "the roster and the courses reach the school's compliance");
        var (done, total) = (figures.Sum(x => (int)x!["done"]!), figures.Sum(x => (int)x!["total"]!));

        // A parent's comment on the school's page ten days ago, never answered: past its response deadline.
        using var incidents = fixture.Incidents.ClientFor(Demo("demo-brierley-staff"));
        await Eventually.Assert(async () =>
        {
            using var reported = await incidents.PostAsJsonAsync($"/v1/schools/{Brierley.Id}/cases", new
            {
                type = "account_message", summary = "A parent's comment on the school's Facebook page asks about the trip",
                accountMessage = new { platform = "facebook", kind = "comment", receivedAt = TestClock.Now.AddDays(-10) },
            });
            reported.IsSuccessStatusCode.Should().BeTrue("Incidents learns the school's published policy from Policy's events first");
        }, TimeSpan.FromSeconds(30));
        await fixture.Incidents.Services.GetRequiredService<OverdueScanner>().SweepAsync(CancellationToken.None);
        using var ceoIncidents = fixture.Incidents.ClientFor(Demo("demo-ceo"));
        var overdue = JsonNode.Parse(await ceoIncidents.GetStringAsync("/v1/cases/overdue?limit=200"))!["items"]!.AsArray()
            .Count(c => (Guid)c!["schoolId"]! == Brierley.Id);
        overdue.Should().BeGreaterThan(0);

        await using var ceo = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-dashboard");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, new() { Name = "Your trust at a glance", Exact = true }), "dashboard");
        (await ceo.HeadingAsync()).Should().Be("Your trust at a glance");
        (await ceo.Page.Locator("#figure-schools").TextContentAsync())!.Trim().Should().Be(DemoSeeder.Schools.Count.ToString(CultureInfo.InvariantCulture));

        // The school's bar and figure are Training's: done of total over every requirement.
        var row = ceo.Page.Locator("#compliance-table tbody tr").Filter(new() { HasText = Brierley.Name });
        var percent = Math.Round(100m * done / total, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.GetCultureInfo("en-GB"));
        (await row.Locator("td").Nth(1).TextContentAsync())!.Trim().Should().Be($"{percent}% ({done} of {total})");
        (await row.Locator("meter").GetAttributeAsync("value")).Should().Be(Math.Round(100m * done / total, 1, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture));

        // Lowest first: the bars climb down the table (a school with nobody to count yet has no bar and comes last).
        var shares = await ceo.Page.Locator("#compliance-table meter").EvaluateAllAsync<decimal[]>("ms => ms.map(m => m.value)");
        shares.Should().BeInAscendingOrder();

        var overdueRow = ceo.Page.Locator("#overdue-table tbody tr").Filter(new() { HasText = Brierley.Name });
        (await overdueRow.Locator("td").First.TextContentAsync())!.Trim().Should().Be(overdue.ToString(CultureInfo.InvariantCulture));

        // The demo's review dates: Old Basford's next month (its reminders have started), Mellers' three months past.
        var reviews = ceo.Page.Locator("#reviews-table tbody tr");
        (await reviews.Filter(new() { HasText = "Mellers Primary School" }).Locator("td").Nth(1).TextContentAsync())!.Trim().Should().Be("Overdue");
        (await reviews.Filter(new() { HasText = "Old Basford School" }).Locator("td").Nth(1).TextContentAsync())!.Trim().Should().Be("Within two months");
        (await reviews.Filter(new() { HasText = "Newbury School" }).CountAsync()).Should().Be(0, "Newbury follows the trust's review, months away");

        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "mellers-head-dashboard");
        (await head.Page.GetByRole(AriaRole.Link, new() { Name = "Your trust at a glance" }).CountAsync()).Should().Be(0);
        (await head.OpenAsync("/trust")).Should().Be(404);
        (await head.HeadingAsync()).Should().Be("Page not found");
    }
}
