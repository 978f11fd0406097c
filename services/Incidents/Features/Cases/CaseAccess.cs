using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases;

public enum CaseView
{
    None,
    Receipt,
    Full,
}

/// <summary>Who may see what of a case (issue 5, Build 3 and 4). Anything the caller may not see is a 404.</summary>
public static class CaseAccess
{
    /// <summary>Every role that works in or for a school; the case rules below narrow it.</summary>
    public static readonly string[] SchoolRoles =
        [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    /// <summary>Staff of every kind report; the trust admin and the chair oversee rather than report.</summary>
    public static readonly string[] Reporters = [Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff];

    public static CaseView ViewFor(PlatformPrincipal p, IncidentCase c)
    {
        if (p.IsApiKey)
        {
            return p.CanActForSchool(c.SchoolId) && c.ReporterKeyId == p.ApiKeyId ? CaseView.Receipt : CaseView.None;
        }

        bool Can(params string[] roles) => p.CanActForSchool(c.SchoolId, roles);
        var full = c switch
        {
            // 002 l.225: the chair, not the headteacher; the DSL keeps safeguarding oversight.
            { AboutHeadteacher: true } => Can(Roles.Dsl, Roles.Chair),
            { Restricted: true } => Can(Roles.Dsl),
            _ => Can(Roles.Dsl, Roles.Headteacher, Roles.TrustAdmin) || Can(c.AssignedRole) || (c.ChairInformed && Can(Roles.Chair)),
        };
        if (full)
        {
            return CaseView.Full;
        }

        return c.ReporterKeyId is null && c.ReporterSubject == p.Subject && Can(SchoolRoles) ? CaseView.Receipt : CaseView.None;
    }

    /// <summary>The case if the caller may read all of it; otherwise null (404). Reads of restricted cases are audited.</summary>
    public static async Task<IncidentCase?> LoadFullAsync(IncidentsDbContext db, PlatformPrincipal principal, Guid id, string auditAction, TimeProvider time, CancellationToken cancellationToken)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (c is null || ViewFor(principal, c) != CaseView.Full)
        {
            return null;
        }

        if (c.Restricted)
        {
            // Committed at once: the read is audited even if what the caller asked for then fails validation.
            Audit(db, principal, c, auditAction, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        return c;
    }

    /// <summary>Who, with which role, when, what: one row per read or export of a restricted case.</summary>
    public static void Audit(IncidentsDbContext db, PlatformPrincipal principal, IncidentCase c, string action, DateTimeOffset now) =>
        db.Audit.Add(new AuditEntry
        {
            TrustId = c.TrustId, Id = Guid.CreateVersion7(now), SchoolId = c.SchoolId, CaseId = c.Id,
            Actor = ActorOf(principal), ActorRole = RoleOf(principal, c), Action = action, At = now,
        });

    public static string ActorOf(PlatformPrincipal p) =>
        p.IsApiKey ? $"api-key:{p.ApiKeyId}" : p.StaffId is { } staff ? $"staff:{staff}" : $"user:{p.Subject}";

    /// <summary>The role through which the caller acts on this case's school (the most specific first).</summary>
    public static string RoleOf(PlatformPrincipal p, IncidentCase c) => RoleFor(p, c.SchoolId);

    public static string RoleFor(PlatformPrincipal p, Guid schoolId)
    {
        if (p.IsApiKey)
        {
            return "integration";
        }

        string[] order = [Roles.Dsl, Roles.Chair, Roles.Headteacher, Roles.TrustAdmin, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff];
        return order.FirstOrDefault(r => p.CanActForSchool(schoolId, r)) ?? "none";
    }

    /// <summary>Appends an entry to the case's hash-chained timeline (the case row keeps the head and count).</summary>
    public static TimelineEntry Append(IncidentsDbContext db, IncidentCase c, string kind, object body, string actor, string actorRole, DateTimeOffset now)
    {
        var at = TimelineChain.Normalise(now);
        var seq = c.TimelineCount + 1;
        var previous = c.TimelineHead ?? TimelineChain.Genesis;
        var json = JsonSerializer.Serialize(body, CaseMapping.Json);
        var entry = new TimelineEntry
        {
            TrustId = c.TrustId, CaseId = c.Id, Seq = seq, Kind = kind, At = at, Actor = actor, ActorRole = actorRole, Body = json,
            PreviousHash = previous,
            Hash = TimelineChain.Hash(previous, c.TrustId, c.Id, seq, kind, at, actor, actorRole, json),
        };
        db.Timeline.Add(entry);
        c.TimelineCount = seq;
        c.TimelineHead = entry.Hash;
        c.Version++;
        return entry;
    }

    public static async Task<IReadOnlyList<EscalationResponse>> EscalationsAsync(IncidentsDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var rows = await db.Timeline.AsNoTracking().Where(t => t.CaseId == caseId && t.Kind == "escalation").OrderBy(t => t.Seq).ToListAsync(cancellationToken);
        return rows.Select(t =>
        {
            using var doc = JsonDocument.Parse(t.Body);
            return new EscalationResponse(doc.RootElement.GetProperty("step").GetString()!, doc.RootElement.GetProperty("reason").GetString()!, t.Actor, t.ActorRole, t.At);
        }).ToList();
    }
}
