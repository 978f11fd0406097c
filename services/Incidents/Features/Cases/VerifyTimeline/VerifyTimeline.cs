using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.VerifyTimeline;

/// <summary><c>FirstBrokenSeq</c> is the first entry whose row was changed, removed (a gap) or whose link no longer holds.</summary>
public sealed record TimelineVerification(bool Valid, int Entries, int? FirstBrokenSeq, string? Reason);

public sealed class VerifyTimeline(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<CaseRoute, Results<Ok<TimelineVerification>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/cases/{id:guid}/timeline/verify");
        Allow(RoleSets.AnyoneInSchool);
        Document("Cases", "Verify a case's timeline",
            "Recomputes the hash chain: whether any entry was changed, removed (a gap, or entries missing at the end) or re-linked, and the first " +
            "broken sequence number. For those who may read the whole case.");
    }

    public override async Task<Results<Ok<TimelineVerification>, NotFound>> ExecuteAsync(CaseRoute route, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, route.Id, "verify_timeline", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var rows = await db.Timeline.AsNoTracking().Where(t => t.CaseId == route.Id).OrderBy(t => t.Seq).ToListAsync(ct);
        return TypedResults.Ok(Verify(c, rows));
    }

    private static TimelineVerification Verify(IncidentCase c, List<TimelineEntry> rows)
    {
        var previous = TimelineChain.Genesis;
        var expectedSeq = 1;
        foreach (var t in rows)
        {
            if (t.Seq != expectedSeq)
            {
                return new TimelineVerification(false, rows.Count, expectedSeq, "The entry is missing.");
            }

            if (!t.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return new TimelineVerification(false, rows.Count, t.Seq, "The link to the previous entry does not match.");
            }

            var hash = TimelineChain.Hash(previous, t.TrustId, t.CaseId, t.Seq, t.Kind, t.At, t.Actor, t.ActorRole, t.Body);
            if (!hash.AsSpan().SequenceEqual(t.Hash))
            {
                return new TimelineVerification(false, rows.Count, t.Seq, "The entry's content does not match its hash.");
            }

            previous = t.Hash;
            expectedSeq++;
        }

        // The case row keeps the count and head, so removing the last entries is detected too.
        return rows.Count != c.TimelineCount || !previous.AsSpan().SequenceEqual(c.TimelineHead ?? TimelineChain.Genesis)
            ? new TimelineVerification(false, rows.Count, rows.Count + 1, "Entries at the end of the timeline are missing.")
            : new TimelineVerification(true, rows.Count, null, null);
    }
}
