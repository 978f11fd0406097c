using System.Text.RegularExpressions;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Courses;

/// <summary>
/// A course of the trust's catalogue. Code links completions to requirements: <c>social_media_policy</c>
/// (induction, refreshers), <c>at_risk_pupils</c>, <c>platform:{platform}</c>. ValidityMonths null: never expires.
/// </summary>
public sealed record CourseRequest(string Code, string Title, int? ValidityMonths = null)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors().Required("code", Code, 100).Required("title", Title);
        if (!string.IsNullOrEmpty(Code) && !CourseCode.IsMatch(Code))
        {
            errors.Add("code", "Lower-case letters, digits, '_' and ':' only.");
        }

        if (ValidityMonths is < 1 or > 120)
        {
            errors.Add("validityMonths", "Between 1 and 120.");
        }

        return errors;
    }

    private static readonly Regex CourseCode = new("^[a-z0-9_:]+$", RegexOptions.Compiled, TimeSpan.FromSeconds(1));
}

public sealed record CourseResponse(Guid Id, string Code, string Title, int? ValidityMonths, DateTimeOffset CreatedAt)
{
    public static CourseResponse From(Course c) => new(c.Id, c.Code, c.Title, c.ValidityMonths, c.CreatedAt);
}
