using Microsoft.EntityFrameworkCore;
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

public sealed record SchoolComplianceResponse(Guid SchoolId, string Name, DateOnly AsOf, IReadOnlyList<RequirementCompliance> Requirements);

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
        var zone = schools.GroupBy(s => s.TimeZone).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var day = asOf ?? time.TodayAt(zone);
        var counts = await RequirementsQuery.CountsAsync(db, visible?.ToArray(), day, cancellationToken);
        var bySchool = counts.GroupBy(c => c.SchoolId).ToDictionary(g => g.Key, g => g.Select(RequirementCompliance.From).ToList());
        var requirements = counts.Select(c => c.Requirement).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TrustComplianceResponse(day, requirements,
            schools.Select(s => new SchoolCompliance(s.SchoolId, s.Name, bySchool.GetValueOrDefault(s.SchoolId) ?? [])).ToList());
    }
}

/// <summary>The day to assess: <c>?asOf=yyyy-MM-dd</c>, today at the school (or the trust's schools) when omitted.</summary>
public class ComplianceQuery
{
    [FastEndpoints.QueryParam]
    public DateOnly? AsOf { get; init; }
}
