using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Training.Domain.Sessions;
using Trust.Platform.Training.Features.Policy;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Domain.Requirements;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance;

/// <summary>One requirement at one school: how many people it applies to and how many have done it.</summary>
public sealed record RequirementCompliance(string Requirement, int Total, int Done, int Due, int Overdue, decimal PercentCompliant)
{
    public static RequirementCompliance From(ComplianceCount c) =>
        new(c.Requirement, c.Total, c.Done, c.Due, c.Overdue, RequirementRules.PercentCompliant(c.Done, c.Total));
}

public sealed record SchoolCompliance(Guid SchoolId, string Name, IReadOnlyList<RequirementCompliance> Requirements);

/// <summary>
/// The school's pupil education or parent sessions under its cadence (002 l.259-261): the period judged (a term, or
/// twelve months), the sessions held in it, the last one held, and whether the period has one.
/// </summary>
/// <param name="Cadence">termly or annual, from the school's published policy (training.pupil_education, training.parent_sessions).</param>
public sealed record SessionCompliance(
    SessionAudience Audience, string Cadence, string Period, DateOnly PeriodStart, DateOnly PeriodEnd, int SessionsHeld, DateOnly? LastHeldOn, bool Compliant);

public sealed record SchoolComplianceResponse(
    Guid SchoolId, string Name, DateOnly AsOf, IReadOnlyList<RequirementCompliance> Requirements, IReadOnlyList<SessionCompliance> Sessions);

public static class SessionComplianceQuery
{
    /// <summary>Pupil and parent sessions of one school as of <paramref name="asOf"/>, under its published cadences and terms.</summary>
    public static async Task<IReadOnlyList<SessionCompliance>> ForSchoolAsync(TrainingDbContext db, Guid schoolId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var policy = await TrainingPolicy.ForSchoolAsync(db, schoolId, cancellationToken);
        var held = await db.CohortSessions.AsNoTracking().Where(s => s.SchoolId == schoolId && s.HeldOn <= asOf)
            .Select(s => new { s.Audience, s.HeldOn }).ToListAsync(cancellationToken);
        return
        [
            Assess(SessionAudience.Pupils, policy.PupilEducationCadence, policy.Terms, held.Where(s => s.Audience == SessionAudience.Pupils).Select(s => s.HeldOn).ToList(), asOf),
            Assess(SessionAudience.Parents, policy.ParentSessionCadence, policy.Terms, held.Where(s => s.Audience == SessionAudience.Parents).Select(s => s.HeldOn).ToList(), asOf),
        ];
    }

    private static SessionCompliance Assess(SessionAudience audience, string cadence, IReadOnlyList<Term> terms, IReadOnlyList<DateOnly> heldOn, DateOnly asOf)
    {
        var period = SessionCadence.PeriodOf(cadence, terms, asOf);
        var count = SessionCadence.HeldIn(period, heldOn, asOf);
        return new SessionCompliance(audience, cadence, period.Name, period.Start, period.End, count, heldOn.Count == 0 ? null : heldOn.Max(), count > 0);
    }
}

/// <summary>The CEO's dashboard: every school side by side, one column per requirement.</summary>
public sealed record TrustComplianceResponse(DateOnly AsOf, IReadOnlyList<string> Requirements, IReadOnlyList<SchoolCompliance> Schools);

public static class TrustCompliance
{
    /// <summary>
    /// Every visible school (also those with nobody on the roster yet), with its counts per requirement, as of
    /// <paramref name="asOf"/> or today where the schools are (the time zone most of them keep; schools of one trust share one in practice).
    /// </summary>
    public static async Task<TrustComplianceResponse> BuildAsync(
        TrainingDbContext db, IReadOnlySet<Guid>? visible, DateOnly? asOf, TimeProvider time, CancellationToken cancellationToken)
    {
        var schoolsQuery = db.Schools.AsNoTracking();
        if (visible is not null)
        {
            var ids = visible.ToArray();
            schoolsQuery = schoolsQuery.Where(s => ids.Contains(s.SchoolId));
        }

        var schools = await schoolsQuery.OrderBy(s => s.Name).ThenBy(s => s.SchoolId).Select(s => new { s.SchoolId, s.Name, s.TimeZone }).ToListAsync(cancellationToken);
        var day = asOf ?? time.TodayAt(ZoneOf(schools.Select(s => s.TimeZone)));
        var counts = await RequirementsQuery.CountsAsync(db, visible?.ToArray(), day, cancellationToken);
        var bySchool = counts.GroupBy(c => c.SchoolId).ToDictionary(g => g.Key, g => g.Select(RequirementCompliance.From).ToList());
        var requirements = counts.Select(c => c.Requirement).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TrustComplianceResponse(day, requirements,
            schools.Select(s => new SchoolCompliance(s.SchoolId, s.Name, bySchool.GetValueOrDefault(s.SchoolId) ?? [])).ToList());
    }

    /// <summary>Today where the visible schools are: the time zone most of them keep (schools of one trust share one in practice).</summary>
    public static async Task<DateOnly> TodayAsync(TrainingDbContext db, IReadOnlySet<Guid>? visible, TimeProvider time, CancellationToken cancellationToken)
    {
        var schoolsQuery = db.Schools.AsNoTracking();
        if (visible is not null)
        {
            var ids = visible.ToArray();
            schoolsQuery = schoolsQuery.Where(s => ids.Contains(s.SchoolId));
        }

        return time.TodayAt(ZoneOf(await schoolsQuery.Select(s => s.TimeZone).ToListAsync(cancellationToken)));
    }

    private static string? ZoneOf(IEnumerable<string> zones) => zones.GroupBy(z => z).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
}

/// <summary>The day to assess: <c>?asOf=yyyy-MM-dd</c>, today at the school (or the trust's schools) when omitted.</summary>
public class ComplianceQuery
{
    [FastEndpoints.QueryParam]
    public DateOnly? AsOf { get; init; }
}
