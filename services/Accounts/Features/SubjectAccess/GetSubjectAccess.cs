using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Features.Accounts;
using Trust.Platform.Accounts.Features.Applications;
using Trust.Platform.Accounts.Features.Posts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.People;

namespace Trust.Platform.Accounts.Features.SubjectAccess;

/// <summary>What Training announced about the person and Accounts keeps to check an administrator (roster entry, training, acknowledgements).</summary>
public sealed record StaffRecord(
    string? DisplayName, IReadOnlyList<string> Roles, DateOnly? LeftOn,
    IReadOnlyList<StaffTraining> Training, IReadOnlyList<StaffAcknowledgement> Acknowledgements);

public sealed record StaffTraining(string CourseCode, DateOnly? CompletedOn, DateOnly? ExpiresOn, DateOnly? ExpiredOn);

public sealed record StaffAcknowledgement(Guid PolicyVersionId, string Version, DateTimeOffset AcknowledgedAt);

/// <param name="Staff">Null when no roster event about the person reached Accounts.</param>
/// <param name="Applications">Applications the person made, is named an administrator in, or decided, each with its decisions.</param>
/// <param name="Accounts">Register entries the person administers, keeps the credentials of, or is leaving (a handover).</param>
/// <param name="Posts">Posts the person submitted or decided.</param>
/// <param name="MisId">Always null: the register keeps no pupils.</param>
public sealed record AccountsSubjectAccess(
    Guid SchoolId, string? MisId, Guid? RosterId, StaffRecord? Staff, IReadOnlyList<ApplicationResponse> Applications,
    IReadOnlyList<AccountResponse> Accounts, IReadOnlyList<PostResponse> Posts, DateTimeOffset ExportedAt);

/// <summary>Everything the register keeps about one member of staff at a school (a subject access request).</summary>
public sealed class GetSubjectAccess(AccountsDbContext db, TimeProvider time) : PlatformEndpoint<StaffSubjectAccessQuery, Results<Ok<AccountsSubjectAccess>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/subject-access");
        Allow(RoleSets.SubjectAccessRequesters);
        Document("Subject access", "Export everything the register keeps about a member of staff",
            "For a subject access request: the person's roster entry, training and acknowledgements as Accounts keeps them, the applications " +
            "they made, administer or decided (with every decision), the accounts they administer, keep the credentials of or are handing " +
            "over, and the posts they submitted or decided. For the trust's admins, the headteacher and the DSL; every answer is logged first (`/subject-access/log`). The register keeps no " +
            "pupils, so a misId is refused (400) rather than answered empty; another school's is a 404.");
    }

    public override async Task<Results<Ok<AccountsSubjectAccess>, NotFound>> ExecuteAsync(StaffSubjectAccessQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SubjectAccessRequesters]) || !await db.Schools.AnyAsync(s => s.SchoolId == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var id = query.RosterId!.Value;
        var school = query.SchoolId;
        var member = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == school && s.StaffId == id, ct);
        var training = await db.Training.AsNoTracking().Where(t => t.SchoolId == school && t.StaffId == id).OrderBy(t => t.CourseCode)
            .Select(t => new StaffTraining(t.CourseCode, t.CompletedOn, t.ExpiresOn, t.ExpiredOn)).ToListAsync(ct);
        var acknowledgements = await db.Acknowledgements.AsNoTracking().Where(a => a.SchoolId == school && a.StaffId == id).OrderBy(a => a.AcknowledgedAt)
            .Select(a => new StaffAcknowledgement(a.PolicyVersionId, a.Version, a.AcknowledgedAt)).ToListAsync(ct);
        var staff = member is null && training.Count == 0 && acknowledgements.Count == 0
            ? null
            : new StaffRecord(member?.DisplayName, member?.Roles ?? [], member?.LeftOn, training, acknowledgements);

        var decided = db.Decisions.Where(d => d.DecidedByStaffId == id).Select(d => d.ApplicationId);
        var applications = await db.Applications.AsNoTracking()
            .Where(a => a.SchoolId == school && (a.ApplicantStaffId == id || a.Administrators.Contains(id) || decided.Contains(a.Id)))
            .OrderBy(a => a.Id).ToListAsync(ct);
        var applicationIds = applications.Select(a => a.Id).ToList();
        var decisions = (await db.Decisions.AsNoTracking().Where(d => applicationIds.Contains(d.ApplicationId)).ToListAsync(ct)).ToLookup(d => d.ApplicationId);
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.SchoolId == school && (a.Administrators.Contains(id) || a.CredentialCustodian == id || a.LeavingStaffIds.Contains(id)))
            .OrderBy(a => a.Id).ToListAsync(ct);
        var posts = await db.Posts.AsNoTracking()
            .Where(p => p.SchoolId == school && (p.SubmittedByStaffId == id || p.DecidedByStaffId == id))
            .OrderBy(p => p.Id).ToListAsync(ct);

        var now = time.GetUtcNow();
        await SubjectAccessLog.RecordAsync(db, Caller, query, (staff is null ? 0 : 1) + applications.Count + accounts.Count + posts.Count, now, ct);
        return TypedResults.Ok(new AccountsSubjectAccess(
            school, null, id, staff, applications.Select(a => ApplicationResponse.From(a, decisions[a.Id])).ToList(),
            accounts.Select(AccountResponse.From).ToList(), posts.Select(PostResponse.From).ToList(), now));
    }
}
