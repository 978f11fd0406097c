using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.People;
using Trust.Platform.Policy.Features.AccessRequests;
using Trust.Platform.Policy.Features.People;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.SubjectAccess;

/// <summary>A member of the trust linked to the roster id, with the posts they hold or held at the school or across the trust.</summary>
public sealed record MemberRecord(MemberResponse Member, IReadOnlyList<AppointmentResponse> Appointments);

/// <param name="Members">The trust's members linked to the roster id who hold or held a post at the school (one, unless the trust registered them twice).</param>
/// <param name="AccessRequests">Requests to reach a blocked site at the school that the member made or decided (by their sign-in subject).</param>
/// <param name="MisId">Always null: Policy keeps no pupils.</param>
public sealed record PolicySubjectAccess(
    Guid SchoolId, string? MisId, Guid? RosterId, IReadOnlyList<MemberRecord> Members, IReadOnlyList<AccessRequestResponse> AccessRequests,
    DateTimeOffset ExportedAt);

/// <summary>Everything Policy keeps about one member of staff at a school (a subject access request).</summary>
public sealed class GetSubjectAccess(PolicyDbContext db, TimeProvider time) : PlatformEndpoint<StaffSubjectAccessQuery, Results<Ok<PolicySubjectAccess>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/subject-access");
        Allow(RoleSets.SubjectAccessRequesters);
        Document("Subject access", "Export everything Policy keeps about a member of staff",
            "For a subject access request: the trust's member record linked to the roster id (name, email, sign-in) when they hold or held a " +
            "post at the school, their posts at the school and across the trust, and the blocked-site requests at the school they made or " +
            "decided. For the trust's admins, the headteacher and the DSL; every answer is logged first (`/subject-access/log`). Policy keeps no pupils, so a misId is refused (400) rather than " +
            "answered empty; another school's is a 404.");
    }

    public override async Task<Results<Ok<PolicySubjectAccess>, NotFound>> ExecuteAsync(StaffSubjectAccessQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.SubjectAccessRequesters]) || !await db.Schools.AnyAsync(s => s.Id == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var id = query.RosterId!.Value;
        var school = query.SchoolId;
        // A roster id names a person on one school's roster; a member with no post at this school is another school's business, as
        // the member's own record is (GetMember shows a headteacher only the members who hold or held a post at their school).
        var members = await db.TrustMembers.AsNoTracking()
            .Where(m => m.StaffId == id && db.Appointments.Any(a => a.MemberId == m.Id && a.SchoolId == school))
            .OrderBy(m => m.Id).ToListAsync(ct);
        var memberIds = members.Select(m => m.Id).ToList();
        var appointments = (await db.Appointments.AsNoTracking()
            .Where(a => memberIds.Contains(a.MemberId) && (a.SchoolId == school || a.SchoolId == null))
            .OrderBy(a => a.Id).ToListAsync(ct)).ToLookup(a => a.MemberId);
        var subjects = members.Where(m => m.Subject is not null).Select(m => m.Subject!).ToList();
        var requests = await db.BlockedContentRequests.AsNoTracking()
            .Where(r => r.SchoolId == school && (subjects.Contains(r.RequestedBy) || (r.DecidedBy != null && subjects.Contains(r.DecidedBy))))
            .OrderBy(r => r.Id).ToListAsync(ct);
        var now = time.GetUtcNow();
        await SubjectAccessLog.RecordAsync(db, Caller, query, members.Count + appointments.Sum(a => a.Count()) + requests.Count, now, ct);

        return TypedResults.Ok(new PolicySubjectAccess(
            school, null, id,
            members.Select(m => new MemberRecord(MemberResponse.From(m), appointments[m.Id].Select(a => AppointmentResponse.From(a, m.DisplayName)).ToList())).ToList(),
            requests.Select(r => AccessRequestResponse.From(r, now)).ToList(), now));
    }
}
