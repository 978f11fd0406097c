using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.VerifyTimeline;

public static class VerifyTimeline
{
    /// <summary><c>FirstBrokenSeq</c> is the first entry whose row was changed, removed (a gap) or whose link no longer holds.</summary>
    public sealed record VerificationResponse(bool Valid, int Entries, int? FirstBrokenSeq, string? Reason);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cases/{id:guid}/timeline/verify", Handle)
            .RequireAccess(CaseAccess.SchoolRoles)
            .WithTags("Cases")
            .WithName("VerifyCaseTimeline");

    public static async Task<Results<Ok<VerificationResponse>, NotFound>> Handle(
        Guid id, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var c = await CaseAccess.LoadFullAsync(db, http.Principal(), id, "verify_timeline", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var rows = await db.Timeline.AsNoTracking().Where(t => t.CaseId == id).OrderBy(t => t.Seq).ToListAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var previous = TimelineChain.Genesis;
        var expectedSeq = 1;
        foreach (var t in rows)
        {
            if (t.Seq != expectedSeq)
            {
                return TypedResults.Ok(new VerificationResponse(false, rows.Count, expectedSeq, "The entry is missing."));
            }

            if (!t.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return TypedResults.Ok(new VerificationResponse(false, rows.Count, t.Seq, "The link to the previous entry does not match."));
            }

            var hash = TimelineChain.Hash(previous, t.TrustId, t.CaseId, t.Seq, t.Kind, t.At, t.Actor, t.ActorRole, t.Body);
            if (!hash.AsSpan().SequenceEqual(t.Hash))
            {
                return TypedResults.Ok(new VerificationResponse(false, rows.Count, t.Seq, "The entry's content does not match its hash."));
            }

            previous = t.Hash;
            expectedSeq++;
        }

        // The case row keeps the count and head, so removing the last entries is detected too.
        if (rows.Count != c.TimelineCount || !previous.AsSpan().SequenceEqual(c.TimelineHead ?? TimelineChain.Genesis))
        {
            return TypedResults.Ok(new VerificationResponse(false, rows.Count, rows.Count + 1, "Entries at the end of the timeline are missing."));
        }

        return TypedResults.Ok(new VerificationResponse(true, rows.Count, null, null));
    }
}
