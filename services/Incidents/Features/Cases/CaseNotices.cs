using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.People;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Roster;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases;

/// <summary>What happened to a case that someone is told of by mail.</summary>
public enum CaseNotice
{
    Reported,
    Escalated,
    ResponseDueSoon,
    ResponseOverdue,
}

/// <summary>
/// Asks Policy to tell people of a case (<see cref="NotificationRequested"/>), written to the outbox with the change that
/// caused it, so a notice is never lost and never sent for a change that rolled back. Whom: <see cref="CaseRecipients"/>.
/// What: the platform's own words and a link to the case, never the summary, the subject or anything a reporter typed;
/// a restricted case's notice says only that there is one, and is sent at once whatever the person prefers.
/// </summary>
public static class CaseNotices
{
    public const string ReportedKind = "case_reported";
    public const string RestrictedKind = "case_reported_restricted";
    public const string EscalatedKind = "case_escalated";
    public const string DueSoonKind = "case_response_due_soon";
    public const string OverdueKind = "case_response_overdue";

    /// <summary>What the notices of one school's cases need to know, read once for however many cases a change touches.</summary>
    public sealed record SchoolPeople(string Name, string? TimeZone, IReadOnlyList<PostHolder> Posts, IReadOnlyCollection<Guid> HeadteacherStaffIds);

    /// <summary>The school's name and zone, the posts held there today and who the roster or policy names as headteacher.</summary>
    public static async Task<SchoolPeople> PeopleAtAsync(IncidentsDbContext db, Guid schoolId, DateTimeOffset now, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.SchoolId == schoolId).Select(s => new { s.Name, s.TimeZone }).SingleOrDefaultAsync(ct);
        var posts = await Notices.PostsAtAsync(db, schoolId, PlatformClock.LocalDate(now, school?.TimeZone), ct);
        var heads = posts.Count == 0 ? [] : await RosterQueries.HeadteacherStaffIdsAsync(db, schoolId, ct);
        return new SchoolPeople(school?.Name ?? "your school", school?.TimeZone, posts, heads);
    }

    /// <summary>One change to one case: reads the school's people and adds the request (saved by the caller).</summary>
    public static async Task<int> AddAsync(IncidentsDbContext db, IncidentCase c, CaseNotice notice, string? step, Guid? actorStaffId, DateTimeOffset now,
        CancellationToken ct) =>
        Add(db, c, notice, step, actorStaffId, await PeopleAtAsync(db, c.SchoolId, now, ct), now);

    /// <summary>Adds the request to the context's outbox (saved by the caller) when anyone is to be told; returns how many are.</summary>
    public static int Add(IncidentsDbContext db, IncidentCase c, CaseNotice notice, string? step, Guid? actorStaffId, SchoolPeople school, DateTimeOffset now)
    {
        var people = notice == CaseNotice.Reported
            ? CaseRecipients.Assigned(c, school.Posts, school.HeadteacherStaffIds)
            : CaseRecipients.Senior(c, school.Posts, school.HeadteacherStaffIds, actorStaffId);
        if (people.Count == 0)
        {
            return 0;
        }

        var (kind, subject, body) = Words(c, notice, step, school.Name, school.TimeZone);
        db.AddEvent(new NotificationRequested(Guid.CreateVersion7(now), c.TrustId, now, c.SchoolId, kind, people, subject, body, $"/cases/{c.Id}",
            Safeguarding: c.Restricted), c.Id.ToString(), now);
        return people.Count;
    }

    /// <summary>The kind, subject and text of a notice: the school, the type and the deadline at most, and never for a restricted case.</summary>
    public static (string Kind, string Subject, string Body) Words(IncidentCase c, CaseNotice notice, string? step, string school, string? timeZone)
    {
        if (c.Restricted)
        {
            return notice switch
            {
                CaseNotice.Reported => (RestrictedKind, "A restricted case has been reported",
                    "A restricted (safeguarding) case has been reported and you are one of the people who may read it. Its details are kept in Trust Platform only: sign in to read it."),
                CaseNotice.Escalated => (EscalatedKind, "A restricted case has been escalated",
                    "A restricted (safeguarding) case you may read has been escalated. Its details are kept in Trust Platform only: sign in to read it."),
                CaseNotice.ResponseDueSoon => (DueSoonKind, "A restricted case's response is due soon",
                    "A restricted (safeguarding) case you may read must be answered soon. Sign in to Trust Platform to read it."),
                _ => (OverdueKind, "A restricted case's response is overdue",
                    "A restricted (safeguarding) case you may read has passed its response deadline. Sign in to Trust Platform to read it."),
            };
        }

        var type = Words(c.CaseType);
        var due = c.DueAt is { } at ? PlatformClock.LocalTime(at, timeZone).ToString("HH:mm 'on' dddd d MMMM yyyy", Written.English) : null;
        return notice switch
        {
            CaseNotice.Reported => (ReportedKind, $"New case at {school}: {type}",
                $"A new {type} case has been reported at {school} and assigned to the {Words(c.AssignedRole)}." +
                (due is null ? "" : $" A response is due by {due} (school time).")),
            CaseNotice.Escalated => (EscalatedKind, $"Case escalated at {school}: {Words(step ?? "")}",
                $"A {type} case at {school} has been escalated: {Words(step ?? "")}."),
            CaseNotice.ResponseDueSoon => (DueSoonKind, $"Response due soon at {school}",
                $"A {type} at {school} must be answered by {due} (school time), and the case is still open."),
            _ => (OverdueKind, $"Response overdue at {school}",
                $"A {type} at {school} was to be answered by {due} (school time) and the case is still open."),
        };
    }

    private static string Words(string code) => code.Replace('_', ' ');
}
