using FluentValidation;

namespace Trust.Platform.Policy.Features.Configuration;

/// <summary>An approval as a body records it: the trust's of a version (002: Board of Trustees) or a school's (000: Governing Body).</summary>
public interface IApprovalRequest
{
    string ApprovingBody { get; }

    string ApproverName { get; }

    DateOnly ApprovedOn { get; }
}

/// <summary>The one set of rules for an approval's fields, whoever approves.</summary>
public sealed class ApprovalRequestRules : AbstractValidator<IApprovalRequest>
{
    /// <param name="today">UTC now, from the endpoint's TimeProvider: a meeting's date where the approver is may already be tomorrow in UTC, so a day's grace.</param>
    public ApprovalRequestRules(Func<DateTimeOffset> today)
    {
        RuleFor(x => x.ApprovingBody).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.ApproverName).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.ApprovedOn)
            .Must(on => on <= DateOnly.FromDateTime(today().UtcDateTime.AddDays(1)))
            .WithMessage("An approval cannot be dated in the future.");
    }
}
