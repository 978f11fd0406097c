using Microsoft.Playwright;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// A blocked site asked for and decided on the console's pages in Chromium (002 Appendix A): a member of Mellers' staff
/// finds the form from the start page, is refused an empty form next to each field, then asks for instagram.com (which
/// the trust blocks) for a fortnight; the DSL, who is not the approver Mellers' policy names, is told so on the page; the
/// headteacher is refused an approval without a reason, then approves it, and it is in force. Another school's member of
/// staff gets the 404 page for it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BlockedSitePagesTests(ConsoleFixture fixture)
{
    private static readonly Guid Mellers = DemoSeeder.Schools.Single(s => s.Name == "Mellers Primary School").Id;

    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task A_member_of_staff_asks_for_a_blocked_site_and_the_headteacher_the_policy_names_approves_it()
    {
        await using var staff = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School staff member", "blocked-staff");
        // The start page of a member of staff: their school, to report a case and ask for a blocked site; nobody else's, and
        // none of the leaders' pages.
        (await staff.Page.GetByRole(AriaRole.Link, Named("Report a case at Mellers Primary School")).CountAsync()).Should().Be(1);
        (await staff.Page.GetByRole(AriaRole.Link, new() { Name = "Settings of" }).CountAsync()).Should().Be(0);
        (await staff.Page.GetByRole(AriaRole.Link, new() { Name = "Old Basford" }).CountAsync()).Should().Be(0);
        await staff.ClickAsync(staff.Page.GetByRole(AriaRole.Link, Named("Blocked sites of Mellers Primary School")), "blocked-sites");
        (await staff.HeadingAsync()).Should().Be("Blocked sites");
        await staff.ClickAsync(staff.Page.GetByRole(AriaRole.Link, Named("Ask for a blocked site")), "ask");
        (await staff.HeadingAsync()).Should().Be("Ask for a blocked site");

        // Empty: the days are refused by the console; filled, the rest by Policy, each next to its field.
        await staff.ClickAsync(staff.Page.GetByRole(AriaRole.Button, Named("Send the request")), "ask-empty");
        (await staff.Page.Locator("#firstDay-error").TextContentAsync()).Should().Contain("first day");
        (await staff.Page.Locator("#lastDay-error").TextContentAsync()).Should().Contain("last day");
        var today = TestClock.Today;
        await staff.Page.Locator("#firstDay").FillAsync(TestClock.Day(today));
        await staff.Page.Locator("#lastDay").FillAsync(TestClock.Day(today.AddDays(13)));
        await staff.ClickAsync(staff.Page.GetByRole(AriaRole.Button, Named("Send the request")), "ask-refused");
        foreach (var field in new[] { "site", "reason", "intendedUse", "siteContent" })
        {
            (await staff.Page.Locator($"#{field}-error").TextContentAsync()).Should().Contain("Required", $"Policy requires {field}");
        }

        (await staff.Page.Locator("#firstDay").InputValueAsync()).Should().Be(TestClock.Day(today), "what was typed stays to correct");

        await staff.Page.Locator("#site").FillAsync("instagram.com");
        await staff.Page.Locator("#siteContent").FillAsync("Photographs and short videos posted by the public.");
        await staff.Page.Locator("#reason").FillAsync("To show how a post's settings decide who sees it.");
        await staff.Page.Locator("#intendedUse").FillAsync("Year 6 computing, e-safety unit, on the teacher's screen");
        await staff.Page.Locator("#risksAndControls").FillAsync("Only the teacher's screen; no pupil logs in.");
        await staff.ClickAsync(staff.Page.GetByRole(AriaRole.Button, Named("Send the request")), "asked");
        (await staff.HeadingAsync()).Should().Be("Request for instagram.com");
        (await staff.Page.Locator(".govuk-notification-banner").TextContentAsync()).Should().Contain("Your request was sent");
        (await staff.Page.Locator("#status").TextContentAsync()).Should().Contain("Pending");
        (await staff.Page.Locator("#period").TextContentAsync())!.Trim().Should().EndWith(
            $"to the end of {Trust.Platform.Hosting.Time.Written.Date(today.AddDays(13))}", "the last day asked for is the last day allowed");
        (await staff.Page.GetByRole(AriaRole.Button, Named("Record decision")).CountAsync()).Should().Be(0, "a member of staff does not decide");
        var requestPath = new Uri(staff.Page.Url).AbsolutePath;

        // The DSL may be named to decide, but Mellers' policy names the headteacher: Policy's refusal is shown on the page.
        await using var dsl = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School DSL", "blocked-dsl");
        (await dsl.OpenAsync(requestPath)).Should().Be(200);
        await dsl.Page.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await dsl.Page.Locator("#reason").FillAsync("Supervised lesson.");
        await dsl.ClickAsync(dsl.Page.GetByRole(AriaRole.Button, Named("Record decision")), "dsl-refused");
        (await dsl.Page.Locator("#outcome-error").TextContentAsync()).Should().Contain("headteacher");
        (await dsl.Page.Locator("#status").TextContentAsync()).Should().Contain("Pending");

        // The headteacher: the pending list has it; an approval needs a reason; then it is in force.
        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "blocked-head");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Link, Named("Blocked sites of Mellers Primary School")), "head-blocked-sites");
        await head.ClickAsync(head.Page.Locator($"#requests a[href='{requestPath}']"), "head-request");
        await head.Page.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Record decision")), "head-no-reason");
        (await head.Page.Locator("#reason-error").TextContentAsync()).Should().Contain("Required");
        await head.Page.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await head.Page.Locator("#reason").FillAsync("Supervised lesson on the teacher's screen.");
        await head.ClickAsync(head.Page.GetByRole(AriaRole.Button, Named("Record decision")), "head-approved");
        (await head.Page.Locator("#status").TextContentAsync()).Should().Contain("Approved").And.Contain("in force now");
        (await head.Page.Locator("#decision").TextContentAsync()).Should().Contain("Supervised lesson on the teacher's screen.").And.Contain("Headteacher");
        (await head.Page.GetByRole(AriaRole.Button, Named("Record decision")).CountAsync()).Should().Be(0, "a decided request takes no more decisions");
        (await head.OpenAsync($"/schools/{Mellers}/blocked-sites?status=approved")).Should().Be(200);
        (await head.Page.Locator($"#requests a[href='{requestPath}']").CountAsync()).Should().Be(1);

        // Another school's member of staff: the 404 page, under either school's address.
        await using var other = await ConsoleBrowser.SignInAsync(fixture, "Old Basford School staff member", "blocked-other");
        var oldBasford = DemoSeeder.Schools.Single(s => s.Name == "Old Basford School").Id;
        foreach (var path in new[] { requestPath, requestPath.Replace(Mellers.ToString(), oldBasford.ToString(), StringComparison.Ordinal) })
        {
            (await other.OpenAsync(path)).Should().Be(404, $"{path} is not theirs");
            (await other.HeadingAsync()).Should().Be("Page not found");
        }
    }
}
