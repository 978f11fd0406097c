using FluentValidation;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Courses;

/// <summary>
/// A course of the trust's catalogue. Code links completions to requirements: <c>social_media_policy</c>
/// (induction, refreshers), <c>at_risk_pupils</c>, <c>platform:{platform}</c>. ValidityMonths null: never expires.
/// </summary>
/// <param name="Code">Lower-case letters, digits, '_' and ':' (e.g. <c>social_media_policy</c>, <c>platform:instagram</c>); unique in the trust.</param>
/// <param name="ValidityMonths">Months a completion counts for (1-120); omitted: it never expires.</param>
public sealed record CourseRequest(string Code, string Title, int? ValidityMonths = null);

public sealed record CourseResponse(Guid Id, string Code, string Title, int? ValidityMonths, DateTimeOffset CreatedAt)
{
    public static CourseResponse From(Course c) => new(c.Id, c.Code, c.Title, c.ValidityMonths, c.CreatedAt);
}

public sealed class CourseRequestRules : AbstractValidator<CourseRequest>
{
    public CourseRequestRules()
    {
        RuleFor(x => x.Code).NotEmpty().WithMessage("Required.").MaximumLength(100)
            .Matches("^[a-z0-9_:]+$").WithMessage("Lower-case letters, digits, '_' and ':' only.");
        RuleFor(x => x.Title).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.ValidityMonths).InclusiveBetween(1, 120).WithMessage("Between 1 and 120.");
    }
}

/// <summary>Contract examples from the seeds (003: "training on the Social Media Policy as part of their new starter induction").</summary>
internal static class CourseExamples
{
    public static readonly CourseRequest SocialMediaPolicy = new("social_media_policy", "Social Media Policy: new starter induction", null);

    public static readonly CourseResponse Created = new(Guid.Parse("0190f5a2-3c4d-7e00-8a00-0000000000c1"), SocialMediaPolicy.Code, SocialMediaPolicy.Title,
        null, new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero));
}
