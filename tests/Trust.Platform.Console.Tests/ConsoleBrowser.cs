using System.Text.Json;
using Microsoft.Playwright;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// One person's browser: signs in on the "choose a demo user" page, and on every page it opens runs axe-core (no
/// serious or critical violation) and saves a screenshot.
/// </summary>
public sealed class ConsoleBrowser(ConsoleFixture fixture, IBrowserContext context, IPage page, string who) : IAsyncDisposable
{
    private static readonly Lazy<string> AxeScript = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js")));
    private readonly List<string> _consoleErrors = [];
    private int _shots;

    public IPage Page => page;

    public static async Task<ConsoleBrowser> SignInAsync(ConsoleFixture fixture, string demoUser, string who)
    {
        // The pages run under their own Content-Security-Policy: axe-core is evaluated through the DevTools protocol,
        // which a CSP does not govern, so a style or script the policy blocks shows up as a console error here.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.ConsoleAddress });
        var browser = new ConsoleBrowser(fixture, context, await context.NewPageAsync(), who);
        browser.Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browser._consoleErrors.Add(message.Text);
            }
        };
        await browser.OpenAsync("/");
        (await browser.HeadingAsync()).Should().Be("Choose a demo user");
        await browser.Page.GetByLabel(demoUser, new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await browser.ClickAsync(browser.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }), "home");
        return browser;
    }

    /// <summary>Opens a console path, checks the page and returns the HTTP status it answered.</summary>
    public async Task<int> OpenAsync(string path)
    {
        var response = await page.GotoAsync(path);
        await CheckedAsync(path);
        return response!.Status;
    }

    /// <summary>Follows a link or submits a form, waits for the page it leads to, and checks that page.</summary>
    public async Task ClickAsync(ILocator target, string name)
    {
        // A mark on the current document: the next page is a new document without it (a form may post to its own URL).
        await page.EvaluateAsync("() => { window.tpBeforeClick = true; }");
        await target.ClickAsync();
        await page.WaitForFunctionAsync("() => window.tpBeforeClick === undefined");
        await CheckedAsync(name);
    }

    /// <summary>The page as it is now: axe-core and a screenshot.</summary>
    public async Task CheckedAsync(string name)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync(AxeScript.Value);
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }))");
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("impact")} {v.GetProperty("id")}: {v.GetProperty("help")} at {v.GetProperty("nodes")}")
            .ToList();
        var file = $"{who}-{++_shots:00}-{Slug(name)}.png";
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fixture.Screenshots, file), FullPage = true });
        serious.Should().BeEmpty($"axe-core finds no serious or critical violation on {page.Url} (screenshot {file})");
        // A 404 page is expected where a test opens one; anything else the browser reports (a CSP refusal) is a fault.
        _consoleErrors.Where(e => !e.Contains("404", StringComparison.Ordinal)).Should().BeEmpty($"the browser reports no error on {page.Url}");
        _consoleErrors.Clear();
    }

    public async Task<string> HeadingAsync() => (await page.Locator("h1").First.TextContentAsync())!.Trim();

    private static string Slug(string name) =>
        new string([.. name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]).Trim('-') is { Length: > 0 } slug ? slug[..Math.Min(slug.Length, 60)] : "page";

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
