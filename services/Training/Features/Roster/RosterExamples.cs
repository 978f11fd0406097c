using Trust.Platform.Training.Domain.Roster;

namespace Trust.Platform.Training.Features.Roster;

/// <summary>
/// Contract examples from the seeds: Mellers Primary School's e-safety team (003: "Jo Kervick, Computing Lead; Gary
/// Phillips, IT technician and Jo Travis, SBM"; Gary Phillips is also its network manager). MIS ids are illustrative.
/// </summary>
internal static class RosterExamples
{
    public static readonly Guid MellersSchool = Guid.Parse("0190f5a2-3c4d-7e00-8a00-000000000003");
    private static readonly Guid JobId = Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000a1");
    private static readonly DateTimeOffset At = new(2026, 9, 2, 8, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<RosterPersonRow> MellersESafetyTeam =
    [
        new("MEL-0101", "Jo Kervick", "staff", ["teacher", "e_safety_lead"], "2019-09-01", null),
        new("MEL-0102", "Gary Phillips", "staff", ["ict_technician", "network_manager"], "2017-01-03", null),
        new("MEL-0103", "Jo Travis", "staff", ["office_staff"], "2020-04-20", null),
    ];

    public static readonly RosterJobResponse Job = new(JobId, MellersSchool, RosterJobStatus.Succeeded, RosterFormat.Json, 3, 3, 3, 0, 0, 0, 0, 0, [], At, At);

    public static readonly PersonResponse Person = new(Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000b1"), MellersSchool, "MEL-0102", "Gary Phillips",
        "staff", ["ict_technician", "network_manager"], new DateOnly(2017, 1, 3), null, false, At);
}
