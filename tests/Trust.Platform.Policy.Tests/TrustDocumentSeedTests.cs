using System.Text.RegularExpressions;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// 002 line by line against the trust document the demo produces: the demo trust seeded as <c>deploy/run.sh</c> seeds it,
/// its document read through the API (contract-checked), and every body line of 002 found in it or listed with a reason in
/// <c>Seeds/omissions-002.txt</c>.
/// </summary>
public sealed partial class TrustDocumentSeedTests
{
    private static readonly DevUser Ceo = new("demo-ceo", "AET chief executive", DemoSeeder.TrustId, [Roles.TrustAdmin]);

    [Fact]
    public async Task Every_body_line_of_002_appears_in_the_demo_trusts_document_or_is_a_listed_omission_and_nothing_renders_unset()
    {
        await using var servers = await TestServers.CreateAsync("trustdocseed");
        await using var policy = new ServiceFactory<PolicyService>(servers);
        (await DemoSeeder.RunAsync(policy.Services, new StringWriter())).Should().Be(0);
        using var ceo = policy.ClientFor(Ceo);
        var document = await ceo.GetStringAsync("/v1/policy/document");

        document.Should().NotContain("[not set]");
        var (missing, stale) = Compare(document, SeedLines("002_fd05004a93333921.txt"), Omissions("omissions-002.txt"));
        string.Join("\n", missing).Should().BeEmpty("every line of 002 must appear in the trust document or be listed in Seeds/omissions-002.txt with a reason");
        string.Join("\n", stale).Should().BeEmpty("an omission that the document now renders, or that is not a line of 002, must leave the list");
    }

    [Fact]
    public void A_seed_line_the_document_leaves_out_is_reported_as_missing()
    {
        var (missing, _) = Compare("## 1. Roles\n\n- **Ensuring** this policy is implemented.\n", ["1. Roles", "Ensuring this policy is implemented.", "A line nobody rendered"], new Dictionary<string, string>());
        missing.Should().Equal("A line nobody rendered");
    }

    /// <summary>Seed lines (normalised) missing from the document and not omitted; omissions that are not missing.</summary>
    public static (List<string> Missing, List<string> Stale) Compare(string document, IEnumerable<string> seedLines, IReadOnlyDictionary<string, string> omissions)
    {
        var rendered = document.ReplaceLineEndings("\n").Split('\n').Select(Normalise).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        var seed = seedLines.Select(Normalise).Where(l => l.Length > 0).Distinct().ToList();
        var missing = seed.Where(l => !rendered.Contains(l) && !omissions.ContainsKey(l)).ToList();
        var stale = omissions.Keys.Where(o => rendered.Contains(o) || !seed.Contains(o)).ToList();
        return (missing, stale);
    }

    /// <summary>One line as text: whitespace collapsed, table pipes, headings, bullets, numbering, links, emphasis and escapes removed.</summary>
    public static string Normalise(string line)
    {
        line = line.Replace('\t', ' ').Trim();
        if (line.StartsWith('|'))
        {
            line = TableRule().IsMatch(line) ? "" : string.Join(' ', line.Trim('|').Split('|').Select(c => c.Trim()).Where(c => c.Length > 0));
        }

        line = Heading().Replace(line, "");
        line = Bullet().Replace(line, "");
        line = Numbering().Replace(line, "");
        line = Link().Replace(line, "$1");
        line = line.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal);
        line = Escaped().Replace(line, "$1");
        return Whitespace().Replace(line, " ").Trim();
    }

    private static IEnumerable<string> SeedLines(string file) =>
        File.ReadAllLines(Path.Combine(OpenApiGolden.RepositoryRoot(), "docs", "seeds", file));

    /// <summary><c>line text | reason</c> per line; the reason must say why the line is not in the document.</summary>
    private static Dictionary<string, string> Omissions(string file)
    {
        var omissions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Seeds", file)).Where(l => l.Trim().Length > 0 && !l.StartsWith('#')))
        {
            var split = entry.IndexOf(" | ", StringComparison.Ordinal);
            split.Should().BePositive($"'{entry}' must read 'line text | reason'");
            entry[(split + 3)..].Trim().Should().NotBeEmpty($"'{entry}' must give a reason");
            omissions[Normalise(entry[..split])] = entry[(split + 3)..].Trim();
        }

        return omissions;
    }

    [GeneratedRegex(@"^\|[\s|:-]+\|$")]
    private static partial Regex TableRule();

    [GeneratedRegex(@"^#{1,6}\s+")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[-*+]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^(\d{1,2}|[A-Z])\.\s+")]
    private static partial Regex Numbering();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\\([!-/:-@\[-`{-~])")]
    private static partial Regex Escaped();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
