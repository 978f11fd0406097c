using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// The SLA story of docs/walkthrough.md, on the console's pages in Chromium: the CEO tightens the trust's response SLA
/// (seed 002's 48 h to 003's 24 h), Mellers' headteacher sees the rule and is refused 72 hours next to the field, the
/// CEO publishes (refused first for Old Basford's 48 h, which the CEO then clears), and Mellers' document shows 24 hours.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class SlaStoryTests(ConsoleFixture fixture)
{
    private static readonly Guid Mellers = DemoSeeder.Schools.Single(s => s.Name == "Mellers Primary School").Id;

    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task The_ceo_tightens_the_sla_mellers_headteacher_is_refused_72_hours_and_the_published_document_shows_24_hours()
    {
        // ---- The CEO tightens the trust's SLA to 24 hours, checking first which schools it affects.
        await using var ceo = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, Named("Trust baseline policy")), "baseline");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, Named("Change Response hours")), "baseline-sla");
        (await ceo.Page.Locator("#value").InputValueAsync()).Should().Be("48", "the seed's baseline is 002's 48 hours");
        // 12 hours first: the preview names the schools whose own 24 hours it would no longer allow.
        await ceo.Page.Locator("#value").FillAsync("12");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Check which schools it affects")), "baseline-sla-preview-12");
        (await ceo.Page.Locator("table").TextContentAsync()).Should().Contain("Mellers Primary School").And.Contain("Brierley Hill Primary School");
        (await ceo.Page.Locator("#value").InputValueAsync()).Should().Be("12", "a preview keeps the value being considered");
        await ceo.Page.Locator("#value").FillAsync("24");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Check which schools it affects")), "baseline-sla-preview-24");
        (await ceo.Page.Locator("main").TextContentAsync()).Should().Contain("No school's own value conflicts with this change.");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Save")), "baseline-saved");
        (await ceo.Page.Locator(".govuk-notification-banner").TextContentAsync()).Should().Contain("Response hours saved");
        (await ceo.Page.Locator("#setting-sla-response_hours").TextContentAsync()).Should().Contain("24");

        // ---- Mellers' headteacher sees the rule, and 72 hours is refused on the page, next to the field.
        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "mellers-head");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Settings of Mellers Primary School")), "settings");
        (await head.Page.Locator("#setting-sla-response_hours").TextContentAsync()).Should()
            .Contain("Tighten only: the school may set the trust's value (24) or lower, never higher.");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Change Response hours")), "settings-sla");
        await head.Page.Locator("#value").FillAsync("72");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Save")), "settings-sla-refused");
        (await head.Page.TitleAsync()).Should().StartWith("Error:");
        var refusal = (await head.Page.Locator("#value-error").TextContentAsync())!;
        refusal.Should().Contain("tighten-only").And.Contain("the trust value is 24");
        (await head.Page.Locator(".govuk-error-summary a[href='#value']").TextContentAsync()).Should().Contain("tighten-only");
        (await head.Page.Locator("#value").InputValueAsync()).Should().Be("72", "the refused value stays in the field to correct");

        // ---- The CEO drafts a major version; an approval dated in the future is refused next to the date; then it is
        // approved and published.
        await ceo.OpenAsync("/trust/versions");
        await ceo.Page.Locator("#summary").FillAsync("Comments answered within 24 hours at every school");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Draft version")), "versions-drafted");
        await ceo.Page.Locator("#approverName").FillAsync("Chair of the Board of Trustees");
        await ceo.Page.Locator("#approvingBody").FillAsync("Board of Trustees");
        var today = await ceo.Page.Locator("#approvedOn").InputValueAsync();
        today.Should().Be(TestClock.Day(TestClock.Today), "the date defaults to today by the platform clock");
        await ceo.Page.Locator("#approvedOn").FillAsync(TestClock.Day(TestClock.Today.AddYears(1)));
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Record approval")), "versions-approval-refused");
        (await ceo.Page.Locator("#approvedOn-error").TextContentAsync()).Should().NotBeNullOrWhiteSpace();
        (await ceo.Page.Locator(".govuk-error-summary a[href='#approvedOn']").CountAsync()).Should().Be(1);
        await ceo.Page.Locator("#approvedOn").FillAsync(today);
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Record approval")), "versions-approved");
        var publish = ceo.Page.Locator("#publish");
        var label = VersionLabel().Match((await publish.TextContentAsync())!).Value;
        label.Should().NotBeEmpty();
        await ceo.ClickAsync(publish, "versions-published");
        (await ceo.Page.Locator(".govuk-notification-banner").TextContentAsync()).Should().Contain($"Version {label} published");
        (await ceo.Page.Locator("table").TextContentAsync()).Should().Contain("Board of Trustees");

        // The CEO's deviations matrix shows each school's own values beside the trust's.
        await ceo.OpenAsync("/");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, Named("Where schools differ from the trust")), "deviations");
        var matrix = (await ceo.Page.Locator("table").TextContentAsync())!;
        matrix.Should().Contain("Mellers Primary School").And.Contain("Esafety team").And.Contain("Jo Kervick (Computing Lead)");

        // ---- Mellers' document shows the published version and 24 hours.
        (await head.OpenAsync($"/schools/{Mellers}/document")).Should().Be(200);
        var document = head.Page.FrameLocator("iframe[title='Mellers Primary School policy document']").Locator("body");
        (await document.TextContentAsync()).Should().Contain("responded to within 24 hours").And.Contain(label);
        (await head.OpenAsync($"/schools/{Mellers}/document/print")).Should().Be(200);
    }

    [GeneratedRegex(@"\d+\.\d+")]
    private static partial Regex VersionLabel();
}
