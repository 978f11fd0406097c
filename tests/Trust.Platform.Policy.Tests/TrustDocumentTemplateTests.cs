using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Documents;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>The trust's own template (002) and its appendix forms against the committed Accounts and Incidents contracts, no servers.</summary>
[Trait("Category", "Unit")]
public sealed partial class TrustDocumentTemplateTests
{
    [Fact]
    public void The_trust_template_has_002s_statement_of_intent_roles_sections_and_three_appendices_and_only_known_placeholders()
    {
        PolicyDocument.Validate(TrustDocument.Template, SettingCatalogue.ByKey.Keys.ToHashSet()).Should().BeEmpty();
        PolicyDocument.Parse(TrustDocument.Template).Select(s => s.Id).Should().Equal(
            "contents", "statement-of-intent", "roles", "school-accounts", "staff-personal-use", "parents", "pupils", "data-protection", "safeguarding",
            "blocked-content", "cyberbullying", "training", "appendix-a", "appendix-b", "appendix-c");
    }

    [Fact]
    public void A_list_setting_alone_on_a_bullet_line_renders_one_bullet_per_item_as_literal_text()
    {
        var values = new Dictionary<string, JsonNode?> { ["blocked_sites"] = new JsonArray("Facebook", "*Insta* {{trust.name}}"), ["roles.chair"] = null };
        var body = TrustDocument.RenderBody("<!-- section: s -->\n## S\n\n- {{blocked_sites}}\n", "AET", values).Markdown;
        body.Should().Contain("- Facebook\n").And.Contain(@"- \*Insta\* \{\{trust.name}}").And.NotContain("AET}");
    }

    [Fact]
    public void Every_field_of_appendices_a_b_and_c_maps_to_a_request_property_that_exists_or_says_why_none_does()
    {
        var problems = new List<string>();
        foreach (var (appendix, table, label) in FormRows())
        {
            // A field may fill more than one property (an approval's statement is its step and its outcome): each entry is checked.
            var fields = TrustDocument.FormFields.Where(f => f.Appendix == appendix && f.Label == label && f.Table == table).ToList() is { Count: > 0 } inTable
                ? inTable
                : TrustDocument.FormFields.Where(f => f.Appendix == appendix && f.Label == label && f.Table is null).ToList();
            if (fields.Count == 0)
            {
                problems.Add($"Appendix {appendix}: no mapping for '{label}' (table '{table}')");
            }

            foreach (var field in fields)
            {
                if (field.Property is null)
                {
                    if (string.IsNullOrWhiteSpace(field.Reason))
                    {
                        problems.Add($"Appendix {appendix}: '{label}' maps to nothing and gives no reason");
                    }
                }
                else if (Resolve(field.Service!, field.Schema!, field.Property) is not { } schema)
                {
                    problems.Add($"Appendix {appendix}: '{label}' maps to {field.Service} {field.Schema}.{field.Property}, which the contract does not have");
                }
                else if (field.Value is not null && !(schema["enum"]?.AsArray().Any(v => v!.GetValue<string>() == field.Value) ?? false))
                {
                    problems.Add($"Appendix {appendix}: '{label}' stands for {field.Property} = {field.Value}, not a value the contract allows");
                }
            }
        }

        var headings = PolicyDocument.Parse(TrustDocument.Template).Where(s => s.Id.StartsWith("appendix-", StringComparison.Ordinal))
            .ToDictionary(s => s.Id["appendix-".Length..].ToUpperInvariant(), s => s.Heading, StringComparer.Ordinal);
        foreach (var title in TrustDocument.FormFields.Where(f => f.Table == TrustDocument.FormTitle))
        {
            if (!headings.TryGetValue(title.Appendix, out var heading) || !heading.EndsWith(": " + title.Label, StringComparison.Ordinal))
            {
                problems.Add($"Appendix {title.Appendix}: its title is not '{title.Label}'");
            }
            else if (Resolve(title.Service!, title.Schema!, title.Property!) is not { } schema ||
                     (title.Value is not null && !(schema["enum"]?.AsArray().Any(v => v!.GetValue<string>() == title.Value) ?? false)))
            {
                problems.Add($"Appendix {title.Appendix}: its title stands for {title.Property} = {title.Value}, which the contract does not allow");
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Every_required_property_of_the_requests_the_forms_fill_has_a_field_on_the_form()
    {
        var missing = new List<string>();
        foreach (var request in TrustDocument.FormFields.Where(f => f.Schema is not null).GroupBy(f => (f.Service!, f.Schema!)))
        {
            var mapped = request.Select(f => f.Property!.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
            var required = Schemas(request.Key.Item1)[request.Key.Item2]!["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];
            missing.AddRange(required.Where(r => !mapped.Contains(r)).Select(r => $"{request.Key.Item1} {request.Key.Item2}.{r}"));
        }

        missing.Should().BeEmpty("a form that leaves out a required property cannot be entered through the API");
    }

    [Fact]
    public void The_form_check_fails_for_a_property_the_contract_does_not_have() =>
        Resolve("accounts", "ApplicationRequest", "audiences.colour").Should().BeNull();

    /// <summary>Every label cell of the appendices' tables: (appendix letter, the table's first label, the label).</summary>
    private static IEnumerable<(string Appendix, string Table, string Label)> FormRows()
    {
        foreach (var section in PolicyDocument.Parse(TrustDocument.Template).Where(s => s.Id.StartsWith("appendix-", StringComparison.Ordinal)))
        {
            var appendix = section.Id["appendix-".Length..].ToUpperInvariant();
            string? table = null;
            foreach (var line in section.Body)
            {
                if (!line.StartsWith('|'))
                {
                    table = null;
                    continue;
                }

                var label = line.Trim('|').Split('|')[0].Trim();
                if (label.StartsWith("---", StringComparison.Ordinal))
                {
                    continue;
                }

                table ??= label;
                yield return (appendix, table, label);
            }
        }
    }

    private static readonly Dictionary<string, JsonObject> Contracts = [];

    private static JsonObject Schemas(string service)
    {
        if (!Contracts.TryGetValue(service, out var document))
        {
            document = JsonNode.Parse(File.ReadAllText(Path.Combine(OpenApiGolden.RepositoryRoot(), "openapi", service + ".json")))!.AsObject();
            Contracts[service] = document;
        }

        return document["components"]!["schemas"]!.AsObject();
    }

    /// <summary>The schema at a dotted path, through <c>$ref</c>, <c>oneOf</c> and array items; null when a step is missing.</summary>
    private static JsonObject? Resolve(string service, string schema, string path)
    {
        var schemas = Schemas(service);
        var current = Unwrap(schemas, schemas[schema]?.AsObject());
        foreach (var step in path.Split('.'))
        {
            current = Unwrap(schemas, current?["properties"]?[step]?.AsObject());
        }

        return current;
    }

    private static JsonObject? Unwrap(JsonObject schemas, JsonObject? schema)
    {
        while (schema is not null)
        {
            if (schema["$ref"] is { } reference)
            {
                schema = schemas[RefName().Match(reference.GetValue<string>()).Groups[1].Value]?.AsObject();
            }
            else if (schema["oneOf"] is JsonArray { Count: 1 } oneOf)
            {
                schema = oneOf[0]!.AsObject();
            }
            else if (schema["items"] is JsonObject items && schema["properties"] is null)
            {
                schema = items;
            }
            else
            {
                return schema;
            }
        }

        return null;
    }

    [GeneratedRegex("^#/components/schemas/(.+)$")]
    private static partial Regex RefName();
}
