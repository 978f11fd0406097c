using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration;

/// <summary>
/// The named-role settings (the headteacher, the DSLs, the e-safety team, ...) may point at members of the trust's directory
/// (<c>{"memberId": ...}</c>) rather than type a name: the name and roster id are then the member's own, filled when the value
/// is saved and again at each publication, so the document follows the directory. At a school, the member must hold the
/// setting's post there (appointed as a DSL to be named among the DSLs), so the document never names someone the platform
/// does not route to.
/// </summary>
public static class NamedMembers
{
    /// <summary>The rule a 422 names when the member does not hold the post at the school.</summary>
    public const string NotAppointedRule = "people.member_not_appointed";

    /// <summary>The posts that may be named in each setting at a school; a setting absent here names anyone of the trust.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Posts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["roles.headteacher"] = [Roles.Headteacher],
        ["roles.dsls"] = [Roles.Dsl, AppointmentRoles.DeputyDsl],
        ["roles.esafety_team"] = [AppointmentRoles.EsafetyTeam],
        ["roles.marketing_officer"] = [Roles.MarketingOfficer],
        ["roles.chair"] = [Roles.Chair],
        ["roles.network_manager"] = [Roles.IctTechnician],
        ["roles.filtering_maintainer"] = [Roles.IctTechnician],
    };

    /// <summary>
    /// Fills the members' names and roster ids into <paramref name="value"/> and checks them: an unknown member is a 400 on the
    /// item, a member without the post at <paramref name="schoolId"/> a 422. A value naming no member is returned as it is.
    /// </summary>
    public static async Task<(JsonNode? Value, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)> ResolveAsync(
        PolicyDbContext db, SettingDefinition definition, JsonNode? value, Guid? schoolId, TimeProvider time, CancellationToken ct)
    {
        var items = Items(definition, value);
        var ids = items.Select(i => i.Node["memberId"] is { } m ? Guid.Parse(m.GetValue<string>()) : (Guid?)null).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return (value, null);
        }

        var members = await db.TrustMembers.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var posts = new Dictionary<Guid, Appointment>();
        if (schoolId is { } school && Posts.TryGetValue(definition.Key, out var allowed))
        {
            var zone = await db.Schools.Where(s => s.Id == school).Select(s => s.TimeZone).SingleOrDefaultAsync(ct);
            var held = await db.Appointments.AsNoTracking().Where(Appointments.HeldOn(time.TodayAt(zone)))
                .Where(a => a.SchoolId == school && ids.Contains(a.MemberId) && allowed.Contains(a.Role)).ToListAsync(ct);
            posts = held.GroupBy(a => a.MemberId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.StartsOn).First());
        }

        foreach (var (node, field) in items)
        {
            if (node["memberId"] is not { } m)
            {
                continue;
            }

            var id = Guid.Parse(m.GetValue<string>());
            if (!members.TryGetValue(id, out var member))
            {
                return (null, ApiProblem.Invalid(field + ".memberId", "No member of the trust has this id."));
            }

            Appointment? post = null;
            if (schoolId is not null && Posts.TryGetValue(definition.Key, out var wanted) && !posts.TryGetValue(id, out post))
            {
                return (null, ApiProblem.RuleRefused(NotAppointedRule, "The member does not hold this post at the school",
                    new FieldErrors().Add(field + ".memberId", $"Appoint them at the school as {string.Join(" or ", wanted.Select(w => w.Replace('_', ' ')))} first, then name them here.")));
            }

            Fill(node, member, post?.JobTitle);
        }

        return (value, null);
    }

    /// <summary>At publication: each named member's current name and roster id (a member since removed keeps the last ones saved).</summary>
    public static void Refresh(SettingDefinition definition, JsonNode? value, IReadOnlyDictionary<Guid, TrustMember> members)
    {
        foreach (var (node, _) in Items(definition, value))
        {
            if (node["memberId"] is { } m && members.TryGetValue(Guid.Parse(m.GetValue<string>()), out var member))
            {
                Fill(node, member, null);
            }
        }
    }

    private static void Fill(JsonObject node, TrustMember member, string? jobTitle)
    {
        node["name"] = member.DisplayName;
        if (member.StaffId is { } staff)
        {
            node["staffId"] = staff.ToString();
        }
        else
        {
            node.Remove("staffId");
        }

        if (jobTitle is not null && node["jobTitle"] is null)
        {
            node["jobTitle"] = jobTitle;
        }
    }

    private static List<(JsonObject Node, string Field)> Items(SettingDefinition definition, JsonNode? value) => (definition.Type, value) switch
    {
        (SettingType.Person, JsonObject o) => [(o, "value")],
        (SettingType.PersonList, JsonArray a) => [.. a.Select((n, i) => (n as JsonObject, $"value[{i}]")).Where(x => x.Item1 is not null).Select(x => (x.Item1!, x.Item2))],
        _ => [],
    };
}
