using Trust.Platform.Policy.Demo;

namespace Trust.Platform.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SchoolScopeTests(ConsoleFixture fixture)
{
    private static readonly Guid Mellers = DemoSeeder.Schools.Single(s => s.Name == "Mellers Primary School").Id;
    private static readonly Guid OldBasford = DemoSeeder.Schools.Single(s => s.Name == "Old Basford School").Id;

    [Fact]
    public async Task A_headteacher_cannot_open_another_schools_pages_and_sees_the_console_404_page()
    {
        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "mellers-head-scope");
        (await head.Page.Locator("main").TextContentAsync()).Should().Contain("Mellers Primary School").And.NotContain("Old Basford School");

        (await head.OpenAsync($"/schools/{Mellers}/settings")).Should().Be(200);
        (await head.HeadingAsync()).Should().Be("Policy settings");

        foreach (var path in new[] { $"/schools/{OldBasford}/settings", $"/schools/{OldBasford}/settings/sla.response_hours", $"/schools/{OldBasford}/document", $"/schools/{OldBasford}/document/print" })
        {
            (await head.OpenAsync(path)).Should().Be(404, $"{path} is another school's");
            (await head.HeadingAsync()).Should().Be("Page not found");
            (await head.Page.ContentAsync()).Should().NotContain("Old Basford", "a 404 says nothing about the school");
        }
    }
}
