using FastEndpoints;
using FluentValidation;

namespace Trust.Platform.Hosting.People;

/// <summary>
/// A subject access request (UK GDPR art. 15) about one person of a school: a pupil by the MIS id the school gave, or a
/// member of staff by roster id. Every service that answers <c>/v1/schools/{schoolId}/subject-access</c> takes this query.
/// </summary>
public class SubjectAccessQuery
{
    public Guid SchoolId { get; init; }

    /// <summary>A pupil, by the MIS id the school gave.</summary>
    [QueryParam]
    public string? MisId { get; init; }

    /// <summary>A member of staff, by roster id.</summary>
    [QueryParam]
    public Guid? RosterId { get; init; }
}

/// <summary>The query of a service that keeps nothing about pupils: it answers for a member of staff (rosterId) only.</summary>
public sealed class StaffSubjectAccessQuery : SubjectAccessQuery;

/// <summary>The rules every subject access query shares: one person, never two at once.</summary>
public abstract class SubjectAccessValidator<TQuery> : Validator<TQuery>
    where TQuery : SubjectAccessQuery
{
    protected SubjectAccessValidator()
    {
        RuleFor(x => x.MisId).MaximumLength(50);
        RuleFor(x => x.RosterId).Null().When(x => x.MisId is not null).WithMessage("Give misId or rosterId, not both.");
    }
}

public sealed class SubjectAccessValidator : SubjectAccessValidator<SubjectAccessQuery>
{
    public SubjectAccessValidator()
    {
        RuleFor(x => x.MisId).NotEmpty().When(x => x.RosterId is null).WithMessage("Give misId (a pupil) or rosterId (staff).");
    }
}

/// <summary>A pupil's MIS id is refused by name rather than answered with an empty export, which would read as "nothing held".</summary>
public sealed class StaffSubjectAccessValidator : SubjectAccessValidator<StaffSubjectAccessQuery>
{
    public StaffSubjectAccessValidator()
    {
        RuleFor(x => x.MisId).Null().When(x => x.RosterId is null)
            .WithMessage("This service keeps no records about pupils; give rosterId (a member of staff).");
        RuleFor(x => x.RosterId).NotNull().When(x => x.MisId is null).WithMessage("Give rosterId (a member of staff).");
    }
}
