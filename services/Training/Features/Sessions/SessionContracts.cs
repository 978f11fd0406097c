using FluentValidation;
using Trust.Platform.Training.Domain.Sessions;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Sessions;

/// <summary>
/// A pupil education session (002: pupils are taught termly; a year group or a class) or a parent
/// session (002: parents are invited; an attendance count). Cohorts only: no pupil is named.
/// </summary>
/// <param name="YearGroup">A pupil session names a year group or a class.</param>
/// <param name="AttendanceCount">How many attended (0-100000); required for a parent session.</param>
public sealed record SessionRequest(
    SessionAudience Audience, string Topic, DateOnly HeldOn, string DeliveredBy, string? YearGroup = null, string? ClassName = null, int? AttendanceCount = null);

public sealed record SessionResponse(
    Guid Id, Guid SchoolId, SessionAudience Audience, string Topic, DateOnly HeldOn, string DeliveredBy, string? YearGroup, string? ClassName, int? AttendanceCount)
{
    public static SessionResponse From(CohortSession s) =>
        new(s.Id, s.SchoolId, s.Audience, s.Topic, s.HeldOn, s.DeliveredBy, s.YearGroup, s.ClassName, s.AttendanceCount);
}

public sealed class SessionRequestRules : AbstractValidator<SessionRequest>
{
    public SessionRequestRules()
    {
        RuleFor(x => x.Audience).IsInEnum().WithMessage("One of pupils, parents.");
        RuleFor(x => x.Topic).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.DeliveredBy).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.YearGroup).MaximumLength(50);
        RuleFor(x => x.ClassName).MaximumLength(50);
        RuleFor(x => x.AttendanceCount).InclusiveBetween(0, 100_000).WithMessage("Between 0 and 100000.");
        RuleFor(x => x.YearGroup).Must((s, _) => !string.IsNullOrWhiteSpace(s.YearGroup) || !string.IsNullOrWhiteSpace(s.ClassName))
            .When(s => s.Audience == SessionAudience.Pupils).WithMessage("A pupil session names a year group or a class.");
        RuleFor(x => x.AttendanceCount).NotNull().When(s => s.Audience == SessionAudience.Parents)
            .WithMessage("A parent session records how many attended.");
    }
}

/// <summary>Contract examples from the seeds (003: "We encourage pupils to take a SMART approach to social media behaviour"; taught by its Computing Lead).</summary>
internal static class SessionExamples
{
    public static readonly SessionRequest SmartPupils = new(SessionAudience.Pupils, "A SMART approach to social media", new DateOnly(2026, 10, 6),
        "Jo Kervick, Computing Lead", "Year 5");

    public static readonly SessionResponse Recorded = new(Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000e1"), Guid.Parse("0190f5a2-3c4d-7e00-8a00-000000000003"),
        SmartPupils.Audience, SmartPupils.Topic, SmartPupils.HeldOn, SmartPupils.DeliveredBy, "Year 5", null, null);
}
