using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.School;

public sealed class GetSchoolComplianceQuery
{
    public Guid SchoolId { get; init; }

    /// <summary>The day to assess (yyyy-MM-dd); today at the school when omitted.</summary>
    [QueryParam]
    public DateOnly? AsOf { get; init; }
}

public sealed class GetSchoolCompliance(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<GetSchoolComplianceQuery, Results<Ok<SchoolComplianceResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/compliance");
        Allow(RoleSets.SchoolOversight, Scope.ComplianceRead);
        Document("Compliance", "Read a school's training compliance",
            "Per requirement: how many people it applies to, how many are done, due and overdue, and the percent compliant, as of today at the " +
            "school or `asOf`. Then the school's pupil education and parent sessions under its cadences (002 l.259-261; training.pupil_education, " +
            "training.parent_sessions): termly, a session in the term `asOf` falls in (between terms, the term just ended; calendar.terms); annual, or " +
            "termly before any published term has begun, a session in the twelve months to `asOf`. For the school's leaders and DSL, or a key with compliance:read.");
    }

    public override async Task<Results<Ok<SchoolComplianceResponse>, NotFound>> ExecuteAsync(GetSchoolComplianceQuery query, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == query.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var asOf = query.AsOf ?? time.TodayAt(school.TimeZone);
        var counts = await RequirementsQuery.CountsAsync(db, [query.SchoolId], asOf, ct);
        var sessions = await SessionComplianceQuery.ForSchoolAsync(db, query.SchoolId, asOf, ct);
        return TypedResults.Ok(new SchoolComplianceResponse(query.SchoolId, school.Name, asOf, counts.Select(RequirementCompliance.From).ToList(), sessions));
    }
}
