using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Versions;

/// <summary>Publishing a version: snapshot, provenance stamps, supersession, "needs review" on a major, and one PolicyPublished per school.</summary>
public static class PolicyPublication
{
    public sealed class ConflictsException(IReadOnlyList<Conflict> conflicts) : Exception("Overrides conflict with the baseline.")
    {
        public IReadOnlyList<Conflict> Conflicts { get; } = conflicts;
    }

    public static async Task PublishAsync(PolicyDbContext db, PolicyVersion version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var baselineRows = await db.BaselineSettings.ToListAsync(cancellationToken);
        var baseline = PolicyState.Baseline(baselineRows);
        var conflicts = await PolicyState.ConflictsAsync(db, baseline, cancellationToken);
        if (conflicts.Count > 0)
        {
            throw new ConflictsException(conflicts);
        }

        var overrides = await db.SchoolOverrides.ToListAsync(cancellationToken);
        var amendments = await db.SectionAmendments.ToListAsync(cancellationToken);
        var templates = await db.DocumentTemplates.AsNoTracking().ToDictionaryAsync(t => t.Key, t => t.Markdown, cancellationToken);
        var schools = await db.Schools.AsNoTracking().ToListAsync(cancellationToken);

        var published = await db.PolicyVersions.Where(v => v.Status == VersionStatus.Published).ToListAsync(cancellationToken);
        Stamp(version, baselineRows, overrides, amendments);
        VersionRules.Publish(version, published, now);
        version.Snapshot = Snapshot(baselineRows, overrides, amendments, templates);

        var bySchool = overrides.GroupBy(o => o.SchoolId).ToDictionary(g => g.Key, g => PolicyState.Overrides(g));
        var members = await db.TrustMembers.AsNoTracking().ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var school in schools)
        {
            var effective = PolicyState.Effective(baseline, bySchool.GetValueOrDefault(school.Id) ?? []).ToDictionary(e => e.Key, e => e.Value?.DeepClone(), StringComparer.Ordinal);
            foreach (var (key, value) in effective)
            {
                NamedMembers.Refresh(SettingCatalogue.ByKey[key], value, members);
            }

            db.AddEvent(ToEvent(school, version, effective, now), "policy:" + school.Id, now);
        }
    }

    /// <summary>
    /// Provenance: values changed since the last publication date from this version. A major version: every school's own
    /// text must be looked at again against the new baseline.
    /// </summary>
    private static void Stamp(PolicyVersion version, List<BaselineSetting> baselineRows, List<SchoolOverride> overrides, List<SectionAmendment> amendments)
    {
        foreach (var row in baselineRows.Where(r => r.Since is null))
        {
            row.Since = version.Label;
        }

        foreach (var row in overrides.Where(r => r.Since is null))
        {
            row.Since = version.Label;
        }

        foreach (var amendment in version.Kind == VersionKind.Major ? amendments : [])
        {
            amendment.NeedsReview = true;
        }
    }

    /// <summary>Baseline, overrides, amendments and the trust's templates as published: what each school's document and events were built from.</summary>
    private static string Snapshot(List<BaselineSetting> baselineRows, List<SchoolOverride> overrides, List<SectionAmendment> amendments, Dictionary<string, string> templates) =>
        JsonSerializer.Serialize(new
        {
            baseline = baselineRows.ToDictionary(r => r.Key, r => new { value = PolicyState.Parse(r.ValueJson), rule = r.Rule }),
            overrides = overrides.GroupBy(o => o.SchoolId).ToDictionary(g => g.Key, g => g.ToDictionary(o => o.Key, o => PolicyState.Parse(o.ValueJson))),
            amendments = amendments.GroupBy(a => a.SchoolId).ToDictionary(g => g.Key, g => g.ToDictionary(a => a.SectionId, a => a.Markdown)),
            // The trust's own copies; a key absent here was the built-in text of this release.
            templates,
        });

    /// <summary>The effective settings the other services act on, as the shared contract carries them.</summary>
    public static PolicyPublished ToEvent(School school, PolicyVersion version, IReadOnlyDictionary<string, JsonNode?> e, DateTimeOffset now) => new(
        Guid.CreateVersion7(now), school.TrustId, school.Id, now, version.Id, version.Label, version.Kind == VersionKind.Major,
        DateOf(e["review.next_review_date"]),
        new CalendarSettings(
            Text(e["calendar.time_zone"]) ?? school.TimeZone,
            List(e["calendar.working_days"]).Select(d => Enum.Parse<DayOfWeek>(d!.GetValue<string>(), true)).ToList(),
            TimeOnly.ParseExact(Text(e["calendar.end_of_day"]) ?? "17:00", "HH:mm", CultureInfo.InvariantCulture),
            List(e["calendar.terms"]).Select(t => new Term(t!["name"]!.GetValue<string>(), DateOf(t["start"])!.Value, DateOf(t["end"])!.Value)).ToList(),
            List(e["calendar.closure_days"]).Select(d => DateOf(d)!.Value).ToList()),
        new SlaSettings(e["sla.response_hours"]!.GetValue<int>(), Text(e["sla.non_working_day_rule"])!),
        new RoutingSettings(
            Person(e["roles.headteacher"]), People(e["roles.dsls"]), Person(e["roles.chair"]), People(e["roles.esafety_team"]),
            Person(e["roles.marketing_officer"]), Person(e["roles.network_manager"]), Text(e["roles.filtering_provider"]),
            Person(e["roles.filtering_maintainer"]), Text(e["journalist.rule"])!, People(e["escalation.contacts"])),
        new AccountRuleSettings(
            e["accounts.minimum_administrators"]!.GetValue<int>(),
            List(e["accounts.approval_chain"]).Select(r => r!.GetValue<string>()).ToList(),
            List(e["accounts.required_business_case_fields"]).Select(r => r!.GetValue<string>()).ToList(),
            Text(e["accounts.naming_convention"])!,
            Texts(e["accounts.who_may_post"]), Texts(e["posts.allowed_categories"]), Texts(e["posts.tone_keywords"])),
        new TrainingSettings(
            e["training.induction_window_days"]!.GetValue<int>(), Text(e["training.refresher_cadence"])!, Text(e["training.pupil_education"])!,
            Text(e["training.parent_sessions"])!, e["training.refresher_after_significant_incident"]!.GetValue<bool>()),
        new StaffRuleSettings(
            e["staff.personal_use_in_lessons"]!.GetValue<bool>(), e["staff.personal_use_in_breaks"]!.GetValue<bool>(),
            e["staff.may_follow_pupils"]!.GetValue<bool>(), e["staff.may_follow_parents"]!.GetValue<bool>(),
            e["staff.may_follow_ex_pupils_under_18"]!.GetValue<bool>()));

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static DateOnly? DateOf(JsonNode? node) =>
        node is null ? null : DateOnly.ParseExact(node.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<JsonNode?> List(JsonNode? node) => node as JsonArray ?? [];

    private static List<string> Texts(JsonNode? node) => List(node).Select(n => n!.GetValue<string>()).ToList();

    private static NamedPerson? Person(JsonNode? node) => node is JsonObject o
        ? new NamedPerson(o["name"]!.GetValue<string>(), o["jobTitle"]?.GetValue<string>(), o["staffId"] is { } s ? Guid.Parse(s.GetValue<string>()) : null)
        : null;

    private static List<NamedPerson> People(JsonNode? node) => List(node).Select(Person).OfType<NamedPerson>().ToList();
}
