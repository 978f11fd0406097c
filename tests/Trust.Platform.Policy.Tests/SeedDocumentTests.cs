using System.Text.RegularExpressions;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>The demo trust seeded once, as <c>deploy/run.sh</c> seeds it, and each school's document read through the API.</summary>
public sealed class SeededDemoFixture : IAsyncLifetime
{
    private static readonly DevUser Ceo = new("demo-ceo", "AET chief executive", DemoSeeder.TrustId, [Roles.TrustAdmin]);

    private TestServers? servers;
    private ServiceFactory<PolicyService>? policy;

    public Dictionary<string, string> Documents { get; } = new(StringComparer.Ordinal);

    /// <summary>The trust's preview of every document (the trust's own and each school's) after seeding.</summary>
    public System.Text.Json.Nodes.JsonObject Preview { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        servers = await TestServers.CreateAsync("seedlines");
        policy = new ServiceFactory<PolicyService>(servers);
        (await DemoSeeder.RunAsync(policy.Services, TextWriter.Null)).Should().Be(0);
        using var ceo = policy.ClientFor(Ceo);
        foreach (var (id, name, _, _, _) in DemoSeeder.Schools)
        {
            Documents[name] = await ceo.GetStringAsync($"/v1/schools/{id}/policy/document");
        }

        Preview = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(ceo, "/v1/policy/documents/preview"))!;
    }

    public async Task DisposeAsync()
    {
        if (policy is not null)
        {
            await policy.DisposeAsync();
        }

        if (servers is not null)
        {
            await servers.DisposeAsync();
        }
    }
}

/// <summary>
/// Each seed's text against the document the demo renders for its school: every non-blank body line of the seed appears
/// as a line of the document, or is listed in <c>Seeds/omissions-00N.txt</c> with the reason it does not.
/// Lines are compared by their words: case, punctuation, bullets, numbering, Markdown escapes and emphasis, and Word's
/// bookmark anchors (004's <c>[bookmark: _Toc...]</c>) are not the policy's content.
/// </summary>
public sealed partial class SeedDocumentTests(SeededDemoFixture demo) : IClassFixture<SeededDemoFixture>
{
    [Theory]
    [InlineData("000", "Old Basford School")]
    [InlineData("001", "Newbury School")]
    [InlineData("003", "Mellers Primary School")]
    [InlineData("004", "Brierley Hill Primary School")]
    public void Every_line_of_the_seed_renders_in_its_schools_demo_document_or_is_a_listed_omission_with_its_reason(string seed, string school)
    {
        var root = OpenApiGolden.RepositoryRoot();
        var seedLines = File.ReadAllLines(Directory.GetFiles(Path.Combine(root, "docs", "seeds"), $"{seed}_*.txt").Single())
            .Select(l => (Text: l.Trim(), Normalised: Normalise(l))).Where(l => l.Normalised.Length > 0).ToList();
        var omissions = File.ReadAllLines(Path.Combine(root, "tests", "Trust.Platform.Policy.Tests", "Seeds", $"omissions-{seed}.txt"))
            .Where(l => l.Trim().Length > 0 && !l.StartsWith('#')).Select(l => l.Split(" | ", 2)).ToList();
        omissions.Where(o => o.Length != 2 || o[1].Trim().Length == 0).Select(o => o[0]).Should().BeEmpty("every omission is 'line text | reason'");
        var omitted = omissions.Select(o => Normalise(o[0])).ToHashSet(StringComparer.Ordinal);
        var rendered = demo.Documents[school].ReplaceLineEndings("\n").Split('\n').Select(Normalise).ToHashSet(StringComparer.Ordinal);

        var missing = seedLines.Where(l => !rendered.Contains(l.Normalised) && !omitted.Contains(l.Normalised)).Select(l => l.Text).ToList();
        // One string, so that the failure lists every missing line rather than the first.
        string.Join("\n", missing).Should().BeEmpty($"every line of seed {seed} should render in {school}'s document or be listed in Seeds/omissions-{seed}.txt");

        var seedSet = seedLines.Select(l => l.Normalised).ToHashSet(StringComparer.Ordinal);
        omissions.Where(o => !seedSet.Contains(Normalise(o[0]))).Select(o => o[0]).Should().BeEmpty("an omission names a line of the seed");
        omissions.Where(o => rendered.Contains(Normalise(o[0]))).Select(o => o[0]).Should().BeEmpty("a line the document renders is not an omission");
        demo.Documents[school].Should().NotContain(@"\[not set\]", "the demo leaves unset only what the school's template does not ask for");
    }

    [Fact]
    public void The_demo_trusts_documents_render_nothing_unset_so_its_next_version_may_be_published()
    {
        var unset = demo.Preview["schools"]!.AsArray().SelectMany(s => s!["unset"]!.AsArray().Select(u => $"{s["schoolName"]}: {u!["sectionId"]} {u["key"]}"))
            .Concat(demo.Preview["trust"]!["unset"]!.AsArray().Select(u => $"trust: {u!["sectionId"]} {u["key"]}")).ToList();
        string.Join("\n", unset).Should().BeEmpty("the demo gives every value its templates ask for");
        demo.Preview["publishable"]!.GetValue<bool>().Should().BeTrue();
        demo.Preview["schools"]!.AsArray().Should().HaveCount(DemoSeeder.Schools.Count);
    }

    [Fact]
    public void Lines_are_compared_by_their_words_not_their_bullets_emphasis_escapes_or_quotes()
    {
        Normalise("· “Nothing” on social media").Should().Be(Normalise("- \"Nothing\" on social media"));
        Normalise("- **Safe** – Do not give out").Should().Be(Normalise("Safe Do not give out"));
        Normalise("[bookmark: _Toc448745951]Monitoring").Should().Be(Normalise("## Monitoring"));
        Normalise(@"1\. first").Should().Be(Normalise("first"));
        Normalise("Reviewed in March 2025").Should().NotBe(Normalise("Reviewed in March 2028"));
    }

    private static string Normalise(string line)
    {
        var text = Bookmark().Replace(line, "").Replace("\\", "", StringComparison.Ordinal);
        text = Marker().Replace(text.Trim(), "");
        return Separators().Replace(text.ToLowerInvariant(), " ").Trim();
    }

    [GeneratedRegex(@"\[bookmark: [^\]]*\]")]
    private static partial Regex Bookmark();

    /// <summary>A heading's hashes, a bullet or a list number at the start of a line.</summary>
    [GeneratedRegex(@"^(#+|[-*·•]|\d+[.)])\s+")]
    private static partial Regex Marker();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex Separators();
}
