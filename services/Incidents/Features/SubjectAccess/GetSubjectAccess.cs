using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.People;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Features.Cases.Export;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.SubjectAccess;

/// <param name="Cases">Each case about the person that the caller may read whole, with its timeline and evidence metadata.</param>
public sealed record IncidentsSubjectAccess(Guid SchoolId, string? MisId, Guid? RosterId, IReadOnlyList<CaseExport> Cases, DateTimeOffset ExportedAt);

/// <summary>Every case about one pupil or member of staff at a school (a subject access request); audited per case.</summary>
public sealed class GetSubjectAccess(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<SubjectAccessQuery, Results<Ok<IncidentsSubjectAccess>, NotFound>>
{
    /// <summary>REVIEW: one document, no paging; a person with more cases than this is answered the first ones by id.</summary>
    public const int MaxCases = 500;

    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/subject-access");
        Allow(RoleSets.SubjectAccessRequesters);
        Document("Subject access", "Export every case about a person",
            "For a subject access request: the school's cases whose subject is the pupil (misId) or member of staff (rosterId), each with its " +
            "timeline and evidence metadata. For the trust's admins, the headteacher and the DSL; restricted (safeguarding) cases are included only " +
            "for the school's DSL, as everywhere else. Every case included is audited (action `subject_access`), and every answer is logged first (`/subject-access/log`).");
    }

    public override async Task<Results<Ok<IncidentsSubjectAccess>, NotFound>> ExecuteAsync(SubjectAccessQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SubjectAccessRequesters]) || !await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var (kind, reference) = query.RosterId is { } rosterId ? ("staff", rosterId.ToString()) : ("pupil", query.MisId!.Trim());
        var viewer = await CaseAccess.ViewerAsync(db, Caller, ct);
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.SchoolId == query.SchoolId && c.SubjectKind == kind && c.SubjectRef == reference)
            .Where(CaseVisibility.FullyReadable(viewer))
            .OrderBy(c => c.Id).Take(MaxCases).ToListAsync(ct);
        var ids = cases.Select(c => c.Id).ToList();
        var timeline = (await db.Timeline.AsNoTracking().Where(t => ids.Contains(t.CaseId)).OrderBy(t => t.Seq).ToListAsync(ct)).ToLookup(t => t.CaseId);
        var evidence = (await db.Evidence.AsNoTracking().Where(e => ids.Contains(e.CaseId)).OrderBy(e => e.Id).ToListAsync(ct)).ToLookup(e => e.CaseId);
        var now = time.GetUtcNow();
        var exports = new List<CaseExport>();
        foreach (var c in cases)
        {
            CaseAccess.Audit(db, Caller, c, "subject_access", now);
            exports.Add(new CaseExport(
                CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, ct)),
                timeline[c.Id].Select(TimelineEntryResponse.From).ToList(),
                evidence[c.Id].Select(e => new EvidenceMetadata(e.Id, e.FileName, e.ContentType, e.SizeBytes, Convert.ToHexStringLower(e.Sha256), e.CapturedAt, e.UploadedAt, e.Uploader)).ToList(),
                now));
        }

        await SubjectAccessLog.RecordAsync(db, Caller, query, exports.Count, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new IncidentsSubjectAccess(query.SchoolId, query.RosterId is null ? reference : null, query.RosterId, exports, now));
    }
}
