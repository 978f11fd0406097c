using System.Text.Json.Nodes;
using Trust.Platform.Policy.Documents;

namespace Trust.Platform.Policy.Tests;

[Trait("Category", "Unit")]
public sealed class TemplateRenderingTests
{
    private const string Template = """
        <!-- section: team -->
        ## Team

        - The network manager is {{roles.network_manager?}}
        - The filtering provider is {{roles.filtering_provider}}
        <!-- additions: ours -->
        <!-- section: tone amendable -->
        ## Tone

        - Engaging
        """;

    private static readonly Dictionary<string, JsonNode?> Unset = new() { ["roles.network_manager"] = null, ["roles.filtering_provider"] = null };

    [Fact]
    public void A_line_with_an_unset_optional_placeholder_is_left_out_and_any_other_unset_placeholder_is_listed_with_its_section()
    {
        var body = PolicyDocument.RenderBody(Template, "A School", "A Trust", Unset, new Dictionary<string, string>());
        body.Markdown.Should().NotContain("network manager").And.Contain(@"The filtering provider is \[not set\]", "an unset value renders as literal text");
        body.Unset.Should().Equal(new UnsetPlaceholder("team", "roles.filtering_provider"));
    }

    [Fact]
    public void A_set_optional_placeholder_renders_its_value()
    {
        var values = new Dictionary<string, JsonNode?> { ["roles.network_manager"] = new JsonObject { ["name"] = "Schools IT" }, ["roles.filtering_provider"] = "Smoothwall" };
        var body = PolicyDocument.RenderBody(Template, "A School", "A Trust", values, new Dictionary<string, string>());
        body.Markdown.Should().Contain("The network manager is Schools IT").And.Contain("The filtering provider is Smoothwall");
        body.Unset.Should().BeEmpty();
    }

    [Fact]
    public void A_schools_text_replaces_an_amendable_body_adds_at_an_additions_point_and_is_ignored_for_a_kept_section()
    {
        var amendments = new Dictionary<string, string> { ["team"] = "- Our own team", ["ours"] = "## Our section\n\n- Our rule", ["tone"] = "- Friendly" };
        var lines = PolicyDocument.RenderBody(Template, "A School", "A Trust", Unset, amendments).Markdown.Split('\n');
        lines.Should().NotContain("- Our own team").And.Contain(@"- The filtering provider is \[not set\]");
        lines.Should().ContainInOrder(@"- The filtering provider is \[not set\]", "## Our section", "- Our rule", "## Tone", "- Friendly");
        lines.Should().NotContain("- Engaging");
    }

    [Fact]
    public void Every_built_in_template_is_valid()
    {
        var keys = Configuration.SettingCatalogue.ByKey.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var template in TemplateLibrary.BuiltIn)
        {
            PolicyDocument.Validate(template.Markdown, keys).Should().BeEmpty(template.Key);
        }
    }
}
