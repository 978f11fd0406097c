using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.People;
using Trust.Platform.Training.Features.Acknowledgements;
using Trust.Platform.Training.Features.Completions;
using Trust.Platform.Training.Features.Roster;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.SubjectAccess;

/// <summary>A signed sheet one of the person's acknowledgements was recorded from: its metadata, never the scan (it carries other people's signatures).</summary>
public sealed record SheetMetadata(Guid Id, Guid PolicyVersionId, string FileName, string ContentType, int SizeBytes, string Sha256, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>Training due because of an event (an account approved, a significant incident) raised for this person alone.</summary>
public sealed record TriggeredRequirement(Guid Id, string Requirement, string CourseCode, Guid SourceId, DateOnly RaisedOn, DateOnly DueOn);

/// <param name="Person">The roster entry as the MIS last sent it; null when the school's roster never held that roster id.</param>
/// <param name="Sheets">The signed sheets the person's paper acknowledgements were recorded from (metadata only).</param>
/// <param name="MisId">Always null: Training keeps no pupils (pupil sessions name a cohort and a count, never a child).</param>
public sealed record TrainingSubjectAccess(
    Guid SchoolId, string? MisId, Guid? RosterId, PersonResponse? Person, IReadOnlyList<CompletionResponse> Completions,
    IReadOnlyList<AcknowledgementResponse> Acknowledgements, IReadOnlyList<SheetMetadata> Sheets,
    IReadOnlyList<TriggeredRequirement> TriggeredRequirements, DateTimeOffset ExportedAt);

/// <summary>Everything Training keeps about one member of staff at a school (a subject access request).</summary>
public sealed class GetSubjectAccess(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<StaffSubjectAccessQuery, Results<Ok<TrainingSubjectAccess>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/subject-access");
        Allow(RoleSets.SubjectAccessRequesters);
        Document("Subject access", "Export everything Training keeps about a member of staff",
            "For a subject access request: the person's roster entry, completions, acknowledgements (with the metadata of the signed sheets " +
            "they were recorded from) and the training raised for them alone. For the trust's admins, the headteacher and the DSL; every answer is logged first (`/subject-access/log`). Training " +
            "keeps no pupils, so a misId is refused (400) rather than answered empty; another school's is a 404.");
    }

    public override async Task<Results<Ok<TrainingSubjectAccess>, NotFound>> ExecuteAsync(StaffSubjectAccessQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SubjectAccessRequesters]) || !await db.SchoolExistsAsync(query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var rosterId = query.RosterId!.Value;
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == rosterId && p.SchoolId == query.SchoolId, ct);
        var completions = await db.Completions.AsNoTracking()
            .Where(c => c.PersonId == rosterId && c.SchoolId == query.SchoolId).OrderBy(c => c.Id).ToListAsync(ct);
        var acknowledgements = await db.Acknowledgements.AsNoTracking()
            .Where(a => a.PersonId == rosterId && a.SchoolId == query.SchoolId).OrderBy(a => a.Id).ToListAsync(ct);
        var sheetIds = acknowledgements.Where(a => a.SheetId is not null).Select(a => a.SheetId!.Value).Distinct().ToList();
        // The scan itself is left out (it carries other people's signatures), so only the columns of the metadata are read.
        var sheets = (await db.AcknowledgementSheets.AsNoTracking()
            .Where(s => sheetIds.Contains(s.Id) && s.SchoolId == query.SchoolId).OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.PolicyVersionId, s.FileName, s.ContentType, s.SizeBytes, s.Sha256, s.RecordedBy, s.RecordedAt })
            .ToListAsync(ct))
            .Select(s => new SheetMetadata(s.Id, s.PolicyVersionId, s.FileName, s.ContentType, s.SizeBytes, Convert.ToHexStringLower(s.Sha256), s.RecordedBy, s.RecordedAt))
            .ToList();
        var triggered = await db.RequirementTriggers.AsNoTracking()
            .Where(t => t.PersonId == rosterId && t.SchoolId == query.SchoolId).OrderBy(t => t.Id)
            .Select(t => new TriggeredRequirement(t.Id, t.Requirement, t.CourseCode, t.SourceId, t.RaisedOn, t.DueOn)).ToListAsync(ct);

        var now = time.GetUtcNow();
        await SubjectAccessLog.RecordAsync(db, Caller, query, (person is null ? 0 : 1) + completions.Count + acknowledgements.Count + sheets.Count + triggered.Count, now, ct);
        return TypedResults.Ok(new TrainingSubjectAccess(
            query.SchoolId, null, rosterId, person is null ? null : PersonResponse.From(person),
            completions.Select(CompletionResponse.From).ToList(), acknowledgements.Select(AcknowledgementResponse.From).ToList(),
            sheets, triggered, now));
    }
}
