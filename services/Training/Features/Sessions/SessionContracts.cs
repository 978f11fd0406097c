using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Sessions;

/// <summary>
/// A pupil education session (002: pupils are taught termly; a year group or a class) or a parent
/// session (002: parents are invited; an attendance count). Cohorts only: no pupil is named.
/// </summary>
public sealed record SessionRequest(
    string Audience, string Topic, DateOnly HeldOn, string DeliveredBy, string? YearGroup = null, string? ClassName = null, int? AttendanceCount = null)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors().Required("topic", Topic).Required("deliveredBy", DeliveredBy)
            .Optional("yearGroup", YearGroup, 50).Optional("className", ClassName, 50);
        switch (Audience)
        {
            case "pupils" when string.IsNullOrWhiteSpace(YearGroup) && string.IsNullOrWhiteSpace(ClassName):
                errors.Add("yearGroup", "A pupil session names a year group or a class.");
                break;
            case "parents" when AttendanceCount is null:
                errors.Add("attendanceCount", "A parent session records how many attended.");
                break;
            case "pupils" or "parents":
                break;
            default:
                errors.Add("audience", "One of pupils, parents.");
                break;
        }

        if (AttendanceCount is < 0 or > 100_000)
        {
            errors.Add("attendanceCount", "Between 0 and 100000.");
        }

        return errors;
    }
}

public sealed record SessionResponse(
    Guid Id, Guid SchoolId, string Audience, string Topic, DateOnly HeldOn, string DeliveredBy, string? YearGroup, string? ClassName, int? AttendanceCount)
{
    public static SessionResponse From(CohortSession s) =>
        new(s.Id, s.SchoolId, s.Audience, s.Topic, s.HeldOn, s.DeliveredBy, s.YearGroup, s.ClassName, s.AttendanceCount);
}
