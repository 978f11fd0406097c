using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Roster;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases;

/// <summary>Who may see what of a case (the rule is <see cref="CaseVisibility"/>). Anything the caller may not see is a 404.</summary>
public static class CaseAccess
{
    /// <summary>
    /// The caller as the case rules see them. When their token carries a roster id, the schools whose roster or
    /// published policy names that id as the headteacher count as theirs, whatever roles the token claims.
    /// </summary>
    public static async Task<CaseViewer> ViewerAsync(IncidentsDbContext db, PlatformPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.IsApiKey || principal.StaffId is not { } staffId)
        {
            return CaseViewer.Of(principal, []);
        }

        var headOf = await RosterQueries.SchoolsWhereHeadteacher(db, staffId).ToListAsync(cancellationToken);
        return CaseViewer.Of(principal, headOf);
    }

    /// <summary>The case if the caller may read all of it; otherwise null (404). Reads of restricted cases are audited.</summary>
    public static async Task<IncidentCase?> LoadFullAsync(IncidentsDbContext db, PlatformPrincipal principal, Guid id, string auditAction, TimeProvider time, CancellationToken cancellationToken) =>
        (await LoadFullWithViewerAsync(db, principal, id, auditAction, time, cancellationToken)).Case;

    /// <summary><see cref="LoadFullAsync"/>, with the caller as the rules see them (to judge the case again after a change).</summary>
    public static async Task<(IncidentCase? Case, CaseViewer Viewer)> LoadFullWithViewerAsync(
        IncidentsDbContext db, PlatformPrincipal principal, Guid id, string auditAction, TimeProvider time, CancellationToken cancellationToken)
    {
        var (c, view, viewer) = await LoadAsync(db, principal, id, cancellationToken);
        if (c is null || view != CaseView.Full)
        {
            return (null, viewer);
        }

        if (c.Restricted)
        {
            // Committed at once: the read is audited even if what the caller asked for then fails validation.
            Audit(db, principal, c, auditAction, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        return (c, viewer);
    }

    /// <summary>The case (tracked), what the caller may see of it, and the caller as the rules see them.</summary>
    public static async Task<(IncidentCase? Case, CaseView View, CaseViewer Viewer)> LoadAsync(IncidentsDbContext db, PlatformPrincipal principal, Guid id, CancellationToken cancellationToken)
    {
        var viewer = await ViewerAsync(db, principal, cancellationToken);
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return (c, c is null ? CaseView.None : CaseVisibility.ViewOf(viewer, c), viewer);
    }

    /// <summary>Who, with which role, when, what: one row per read or export of a restricted case.</summary>
    public static void Audit(IncidentsDbContext db, PlatformPrincipal principal, IncidentCase c, string action, DateTimeOffset now) =>
        db.Audit.Add(new AuditEntry
        {
            TrustId = c.TrustId, Id = Guid.CreateVersion7(now), SchoolId = c.SchoolId, CaseId = c.Id,
            Actor = principal.Actor, ActorRole = RoleOf(principal, c), Action = action, At = now,
        });

    /// <summary>The role through which the caller acts on this case's school (the most specific first).</summary>
    public static string RoleOf(PlatformPrincipal p, IncidentCase c) => p.RoleAt(c.SchoolId);

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
