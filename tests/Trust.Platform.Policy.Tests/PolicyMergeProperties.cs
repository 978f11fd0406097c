using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Tests;

/// <summary>The merge rules as properties over many generated trust values, rules and overrides (no servers needed).</summary>
[Trait("Category", "Unit")]
public sealed class PolicyMergeProperties
{
    private static readonly SettingDefinition Sla = SettingCatalogue.ByKey["sla.response_hours"];
    private static readonly SettingDefinition Admins = SettingCatalogue.ByKey["accounts.minimum_administrators"];
    private static readonly SettingDefinition Blocked = SettingCatalogue.ByKey["blocked_sites"];
    private static readonly SettingDefinition Cadence = SettingCatalogue.ByKey["training.refresher_cadence"];

    private static readonly Gen<OverrideRule> ScalarRules = Gen.Elements(OverrideRule.Locked, OverrideRule.Free, OverrideRule.TightenOnly);
    private static readonly Gen<OverrideRule> ListRules = Gen.Elements(OverrideRule.Locked, OverrideRule.Free, OverrideRule.UnionOnly);
    private static readonly Gen<string> Sites = Gen.Elements("facebook.com", "instagram.com", "twitter.com", "tiktok.com", "snapchat.com", "reddit.com");

    private static Gen<JsonNode?> SiteList() =>
        Gen.ListOf(Sites).Select(list => (JsonNode?)new JsonArray([.. list.Distinct().Select(s => (JsonNode)JsonValue.Create(s)!)]));

    private static Gen<JsonNode?> Hours() => Gen.Choose(1, 168).Select(h => (JsonNode?)JsonValue.Create(h));

    private static Gen<SchoolValue?> Maybe(Gen<JsonNode?> values) =>
        Gen.Frequency((1, Gen.Constant<SchoolValue?>(null)), (3, values.Select(v => (SchoolValue?)new SchoolValue(v))));

    private static void Holds<T>(Gen<T> gen, Func<T, bool> property) =>
        Prop.ForAll(gen.ToArbitrary(), property).QuickCheckThrowOnFailure();

    [Fact]
    public void An_effective_value_always_satisfies_its_rule() =>
        Holds(
            from rule in ScalarRules
            from trust in Hours()
            from school in Maybe(Hours())
            select (rule, trust, school),
            c =>
            {
                var trust = new TrustValue(c.trust, c.rule);
                var effective = PolicyMerge.Resolve(Sla, trust, c.school);
                return c.rule == OverrideRule.Locked
                    ? JsonNode.DeepEquals(effective.Value, c.trust)
                    : PolicyMerge.Check(Sla, trust, effective.Value) is null;
            });

    [Fact]
    public void An_effective_list_always_satisfies_its_rule() =>
        Holds(
            from rule in ListRules
            from trust in SiteList()
            from school in Maybe(SiteList())
            select (rule, trust, school),
            c =>
            {
                var trust = new TrustValue(c.trust, c.rule);
                var effective = PolicyMerge.Resolve(Blocked, trust, c.school);
                return c.rule == OverrideRule.Locked
                    ? JsonNode.DeepEquals(effective.Value, c.trust)
                    : PolicyMerge.Check(Blocked, trust, effective.Value) is null;
            });

    [Fact]
    public void Clearing_an_override_returns_to_the_trust_value() =>
        Holds(
            from rule in ScalarRules
            from trust in Hours()
            select (rule, trust),
            c =>
            {
                var effective = PolicyMerge.Resolve(Sla, new TrustValue(c.trust, c.rule), null);
                return JsonNode.DeepEquals(effective.Value, c.trust) && effective.Source == PolicyMerge.FromTrust;
            });

    [Fact]
    public void Union_only_never_loses_a_trust_item() =>
        Holds(
            from trust in SiteList()
            from school in Maybe(SiteList())
            select (trust, school),
            c =>
            {
                var effective = PolicyMerge.Resolve(Blocked, new TrustValue(c.trust, OverrideRule.UnionOnly), c.school);
                var items = ((JsonArray)effective.Value!).Select(i => i!.GetValue<string>()).ToHashSet();
                return ((JsonArray)c.trust!).All(t => items.Contains(t!.GetValue<string>()));
            });

    [Fact]
    public void Tighten_only_never_loosens_in_either_direction() =>
        Holds(
            from trust in Gen.Choose(1, 10)
            from school in Maybe(Gen.Choose(1, 10).Select(v => (JsonNode?)JsonValue.Create(v)))
            from hours in Gen.Choose(1, 168)
            from schoolHours in Maybe(Hours())
            select (trust, school, hours, schoolHours),
            c =>
            {
                var admins = PolicyMerge.Resolve(Admins, new TrustValue(JsonValue.Create(c.trust), OverrideRule.TightenOnly), c.school);
                var sla = PolicyMerge.Resolve(Sla, new TrustValue(JsonValue.Create(c.hours), OverrideRule.TightenOnly), c.schoolHours);
                // More administrators is stricter; fewer response hours is stricter.
                return admins.Value!.GetValue<int>() >= c.trust && sla.Value!.GetValue<int>() <= c.hours;
            });

    [Fact]
    public void Tighten_only_choices_follow_their_declared_order()
    {
        var trust = new TrustValue(JsonValue.Create("termly"), OverrideRule.TightenOnly);
        PolicyMerge.Check(Cadence, trust, JsonValue.Create("annual")).Should().StartWith("tighten-only");
        PolicyMerge.Check(Cadence, new TrustValue(JsonValue.Create("annual"), OverrideRule.TightenOnly), JsonValue.Create("termly")).Should().BeNull();
    }

    [Fact]
    public void An_override_made_invalid_by_a_trust_change_yields_the_trust_value_and_a_conflict()
    {
        var effective = PolicyMerge.Resolve(Sla, new TrustValue(JsonValue.Create(12), OverrideRule.TightenOnly), new SchoolValue(JsonValue.Create(24)));
        effective.Value!.GetValue<int>().Should().Be(12);
        effective.Source.Should().Be(PolicyMerge.FromTrust);
        effective.Conflict.Should().StartWith("tighten-only");
    }

    [Fact]
    public void Every_catalogue_default_is_valid_for_its_own_type_and_rule()
    {
        foreach (var definition in SettingCatalogue.All)
        {
            SettingValues.Normalise(definition, SettingValues.DefaultOf(definition)).Error.Should().BeNull(definition.Key);
            definition.AllowedRules.Should().Contain(definition.Rule, definition.Key);
        }
    }
}
