using Microsoft.Playwright;

namespace Trust.Platform.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConcurrentEditTests(ConsoleFixture fixture)
{
    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task A_baseline_edit_after_someone_else_saved_is_refused_as_saved_first_with_the_current_value_reloaded()
    {
        // Two people of the central team open the same setting; the first saves, the second's page still holds the old ETag.
        await using var first = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-first");
        await using var second = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-second");
        const string path = "/trust/baseline/training.induction_window_days";
        await first.OpenAsync(path);
        await second.OpenAsync(path);
        var before = await first.Page.Locator("#value").InputValueAsync();
        var firstValue = before == "20" ? "21" : "20";

        await first.Page.Locator("#value").FillAsync(firstValue);
        await first.ClickAsync(first.Page.GetByRole(AriaRole.Button, Named("Save")), "first-saved");
        (await first.Page.Locator(".govuk-notification-banner").TextContentAsync()).Should().Contain("saved");

        await second.Page.Locator("#value").FillAsync("14");
        await second.ClickAsync(second.Page.GetByRole(AriaRole.Button, Named("Save")), "second-refused");
        (await second.Page.Locator("#value-error").TextContentAsync()).Should().Contain("Someone else saved the trust's baseline first").And.Contain("(14) was not saved");
        (await second.Page.Locator("#value").InputValueAsync()).Should().Be(firstValue, "the value saved now is reloaded");
        (await second.Page.Locator("main dl").First.TextContentAsync()).Should().Contain(firstValue);

        // With the page read again, the second person's save goes through.
        await second.Page.Locator("#value").FillAsync("14");
        await second.ClickAsync(second.Page.GetByRole(AriaRole.Button, Named("Save")), "second-saved");
        (await second.Page.Locator("#setting-training-induction_window_days").TextContentAsync()).Should().Contain("14");
    }
}
