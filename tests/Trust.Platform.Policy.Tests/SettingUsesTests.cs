using System.Text.RegularExpressions;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>Every catalogue setting says what acts on it or why it is guidance only, and the README's table says the same.</summary>
[Trait("Category", "Unit")]
public sealed partial class SettingUsesTests
{
    [Fact]
    public void Every_catalogue_setting_says_what_acts_on_it_or_why_it_is_guidance_only()
    {
        SettingCatalogue.All.Select(s => s.Key).Where(k => !SettingUses.ByKey.ContainsKey(k))
            .Should().BeEmpty("each catalogue key needs an entry in SettingUses");
    }

    [Fact]
    public void Every_entry_names_a_catalogue_setting_once()
    {
        SettingUses.All.Select(u => u.Key).Where(k => !SettingCatalogue.ByKey.ContainsKey(k)).Should().BeEmpty();
        SettingUses.All.Select(u => u.Key).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Every_entry_says_where_it_acts_or_why_it_cannot_in_one_sentence_without_table_pipes()
    {
        foreach (var use in SettingUses.All)
        {
            use.What.Should().NotBeNullOrWhiteSpace(use.Key);
            use.What.Should().NotContain("|", use.Key).And.EndWith(".", use.Key);
            if (use.Kind != SettingUseKind.GuidanceOnly)
            {
                use.What.Should().MatchRegex("^(Policy|Accounts|Incidents|Training): ", $"{use.Key} names the service that acts on it");
            }
        }
    }

    [Fact]
    public void The_readme_table_lists_every_setting_with_its_rule_and_what_acts_on_it_as_SettingUses_does()
    {
        var readme = File.ReadAllText(Path.Combine(OpenApiGolden.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### What acts on each setting", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var rows = Row().Matches(section).Select(m => (Key: m.Groups["key"].Value, Rule: m.Groups["rule"].Value, Kind: m.Groups["kind"].Value, What: m.Groups["what"].Value)).ToList();

        var expected = SettingCatalogue.All.Select(s =>
            (Key: s.Key, Rule: PolicyState.RuleName(s.Rule), Kind: SettingUses.KindName(SettingUses.ByKey[s.Key].Kind), What: SettingUses.ByKey[s.Key].What)).ToList();
        rows.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), "README.md's settings table is the catalogue's order with SettingUses' words");
    }

    [GeneratedRegex(@"^\| `(?<key>[a-z0-9_.]+)` \| (?<rule>[a-z_]+) \| (?<kind>[a-z_]+) \| (?<what>[^|]+?) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
