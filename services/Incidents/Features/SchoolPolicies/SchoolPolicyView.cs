using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Incidents.Features.SchoolPolicies;

/// <summary>What Incidents acts on for one school: SLA hours, calendar and routing contacts, and where they came from.</summary>
public sealed record EffectivePolicy(CalendarSettings Calendar, SlaSettings Sla, RoutingSettings Routing, string Source);

public static class SchoolPolicyView
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The school's last published policy, or the catalogue defaults (in the school's time zone) until one arrives;
    /// null when the trust has no such school in its directory. One query either way.
    /// </summary>
    public static async Task<EffectivePolicy?> FindAsync(IncidentsDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var row = await db.Schools.AsNoTracking().Where(s => s.SchoolId == schoolId)
            .Select(s => new { s.TimeZone, Published = db.SchoolPolicies.FirstOrDefault(p => p.SchoolId == schoolId) })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.Published is { } published)
        {
            return new EffectivePolicy(
                JsonSerializer.Deserialize<CalendarSettings>(published.Calendar, Json)!,
                JsonSerializer.Deserialize<SlaSettings>(published.Sla, Json)!,
                JsonSerializer.Deserialize<RoutingSettings>(published.Routing, Json)!,
                $"policy {published.Version}");
        }

        return new EffectivePolicy(PolicyDefaults.Calendar(row.TimeZone), PolicyDefaults.Sla, PolicyDefaults.Routing, "defaults");
    }
}

/// <summary>Keeps the per-school policy view; a late, older publication never replaces a newer one.</summary>
public sealed class PolicyPublishedConsumer(IncidentsDbContext db) : InboxConsumer<PolicyPublished, IncidentsDbContext>(db)
{
    protected override async Task HandleAsync(PolicyPublished message, CancellationToken cancellationToken)
    {
        var row = await Db.SchoolPolicies.SingleOrDefaultAsync(p => p.SchoolId == message.SchoolId, cancellationToken);
        if (row is null)
        {
            row = new SchoolPolicy { TrustId = message.TrustId, SchoolId = message.SchoolId };
            Db.SchoolPolicies.Add(row);
        }
        else if (row.PublishedAt >= message.OccurredAt)
        {
            return;
        }

        row.PolicyVersionId = message.PolicyVersionId;
        row.Version = message.Version;
        row.Calendar = JsonSerializer.Serialize(message.Calendar, SchoolPolicyView.Json);
        row.Sla = JsonSerializer.Serialize(message.Sla, SchoolPolicyView.Json);
        row.Routing = JsonSerializer.Serialize(message.Routing, SchoolPolicyView.Json);
        row.PublishedAt = message.OccurredAt;
    }
}
