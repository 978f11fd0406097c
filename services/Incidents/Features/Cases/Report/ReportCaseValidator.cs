using System.Linq.Expressions;
using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;

namespace Trust.Platform.Incidents.Features.Cases.Report;

/// <summary>
/// A report is a tagged union: <c>type</c> names the case kind and exactly that kind's details object is given (the two
/// conduct concerns may omit it). Each kind's own rules apply only to its details.
/// </summary>
public sealed class ReportCaseValidator : Validator<ReportCaseCommand>
{
    public ReportCaseValidator()
    {
        RuleFor(x => x.Body).NotNull().WithMessage("Required.").SetValidator(new ReportCaseRules());
        // When things happened cannot be later than the server's now (beyond the reporter's clock skew); the clock is the platform's.
        NotInFuture(RuleFor(x => x.Body.Cyberbullying!.IncidentAt)).When(x => x.Body?.Cyberbullying is not null);
        NotInFuture(RuleFor(x => x.Body.AccountMessage!.ReceivedAt)).When(x => x.Body?.AccountMessage is not null);
        NotInFuture(RuleFor(x => x.Body.JournalistContact!.ContactedAt)).When(x => x.Body?.JournalistContact is not null);
        NotInFuture(RuleFor(x => x.Body.FilteringAlert!.AlertedAt)).When(x => x.Body?.FilteringAlert is not null);
    }

    /// <summary>The SLA clock starts at receivedAt (000 l.102): a future instant would push the deadline out at will.</summary>
    private IRuleBuilderOptions<ReportCaseCommand, DateTimeOffset> NotInFuture(IRuleBuilder<ReportCaseCommand, DateTimeOffset> rule) =>
        rule.Must(at => at <= Resolve<TimeProvider>().GetUtcNow() + ReportCaseRequest.ClockSkew).WithMessage("Cannot be in the future.");
}

public sealed class ReportCaseRules : AbstractValidator<ReportCaseRequest>
{
    public ReportCaseRules()
    {
        RuleFor(x => x.Type).IsInEnum().WithMessage("Not a case type.")
            .NotEqual(CaseType.BlockedContentRequest).WithMessage(
                "Access to a blocked site is requested from Policy (POST /policy/v1/schools/{schoolId}/blocked-sites/access-requests, 002 Appendix A): " +
                "its approval allows the site in the school's filtering feed.");
        RuleFor(x => x.Summary).NotEmpty().WithMessage("Required.").MaximumLength(2000);
        RuleFor(x => x.Subject).SetValidator(new SubjectRules()!);

        Details(x => x.Cyberbullying, CaseType.Cyberbullying, new CyberbullyingRules());
        Details(x => x.InappropriateContent, CaseType.InappropriateContent, new InappropriateContentRules());
        Details(x => x.InappropriateContact, CaseType.InappropriateContact, new InappropriateContactRules());
        Details(x => x.OffensiveComment, CaseType.OffensiveComment, new OffensiveCommentRules());
        Details(x => x.StaffConductConcern, CaseType.StaffConductConcern, new ConcernRules(), required: false);
        Details(x => x.PupilConductConcern, CaseType.PupilConductConcern, new ConcernRules(), required: false);
        Details(x => x.AccountMessage, CaseType.AccountMessage, new AccountMessageRules());
        Details(x => x.JournalistContact, CaseType.JournalistContact, new JournalistContactRules());
        Details(x => x.FilteringAlert, CaseType.FilteringAlert, new FilteringAlertRules());
        Details(x => x.Whistleblowing, CaseType.Whistleblowing, new ConcernRules(), required: false);
        Details(x => x.Grievance, CaseType.Grievance, new ConcernRules(), required: false);
    }

    private static string FieldOf(CaseType type) => JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

    private void Details<T>(Expression<Func<ReportCaseRequest, T?>> details, CaseType type, IValidator<T> rules, bool required = true)
        where T : class
    {
        RuleFor(details).Null().When(x => x.Type != type)
            .WithMessage(x => $"Only the details of the case type ('{FieldOf(x.Type)}') may be given.");
        if (required)
        {
            RuleFor(details).NotNull().When(x => x.Type == type).WithMessage("Required for this case type.");
        }

        RuleFor(details).SetValidator(rules!).When(x => x.Type == type);
    }

    internal static bool AbsoluteUrl(string? url) => Uri.TryCreate(url, UriKind.Absolute, out _);
}

public sealed class SubjectRules : AbstractValidator<SubjectRequest>
{
    public SubjectRules()
    {
        RuleFor(x => x.Kind).IsInEnum().WithMessage("Not a subject kind.");
        RuleFor(x => x.MisId).MaximumLength(50);
        RuleFor(x => x.MisId).NotEmpty().When(x => x.Kind == SubjectKind.Pupil).WithMessage("A pupil is referenced by MIS id.");
        RuleFor(x => x.MisId).Null().When(x => x.Kind != SubjectKind.Pupil).WithMessage("Only for a pupil.");
        RuleFor(x => x.RosterId).NotNull().When(x => x.Kind == SubjectKind.Staff).WithMessage("A staff member is referenced by roster id.");
        RuleFor(x => x.RosterId).Null().When(x => x.Kind != SubjectKind.Staff).WithMessage("Only for a staff member.");
        RuleFor(x => x.IsHeadteacher).Null().When(x => x.Kind != SubjectKind.Staff).WithMessage("Only for a staff member.");
        RuleFor(x => x.Relationship).MaximumLength(100);
        RuleFor(x => x.Relationship).Null().When(x => x.Kind != SubjectKind.Adult).WithMessage("Only for a parent or other adult.");
        RuleFor(x => x.DateOfBirth).Null().When(x => x.Kind != SubjectKind.Pupil).WithMessage("Only for a pupil in a child-protection case.");
    }
}

public sealed class CyberbullyingRules : AbstractValidator<CyberbullyingDetails>
{
    public CyberbullyingRules()
    {
        RuleFor(x => x.Victim).IsInEnum();
        RuleFor(x => x.Perpetrator).IsInEnum();
        RuleFor(x => x.Platform).MaximumLength(100);
    }
}

public sealed class InappropriateContentRules : AbstractValidator<InappropriateContentDetails>
{
    public InappropriateContentRules()
    {
        RuleFor(x => x.FullUrls).Must(urls => urls is { Count: > 0 and <= 20 } && urls.All(ReportCaseRules.AbsoluteUrl))
            .WithMessage("At least one and at most 20 full URLs, each absolute (002 Appendix B).");
        RuleForEach(x => x.FullUrls).MaximumLength(2048);
        RuleFor(x => x.NatureOfContent).NotEmpty().WithMessage("Required.").MaximumLength(2000);
        RuleFor(x => x.PersonAccessing).MaximumLength(200);
        RuleFor(x => x.ActionTaken).MaximumLength(2000);
    }
}

public sealed class InappropriateContactRules : AbstractValidator<InappropriateContactDetails>
{
    public InappropriateContactRules()
    {
        RuleFor(x => x.From).Must(from => from is "pupil" or "parent").WithMessage("Either 'pupil' or 'parent'.").MaximumLength(10);
        RuleFor(x => x.ContactKind).Must(kind => kind is "friend_request" or "message").WithMessage("Either 'friend_request' or 'message'.").MaximumLength(20);
        RuleFor(x => x.Platform).MaximumLength(100);
    }
}

public sealed class OffensiveCommentRules : AbstractValidator<OffensiveCommentDetails>
{
    public OffensiveCommentRules()
    {
        RuleFor(x => x.Platform).MaximumLength(100);
        RuleFor(x => x.Action).IsInEnum();
    }
}

public sealed class ConcernRules : AbstractValidator<ConcernDetails>
{
    public ConcernRules() => RuleFor(x => x.Platform).MaximumLength(100);
}

public sealed class AccountMessageRules : AbstractValidator<AccountMessageDetails>
{
    public AccountMessageRules()
    {
        RuleFor(x => x.Platform).MaximumLength(100);
        RuleFor(x => x.Kind).IsInEnum();
    }
}

public sealed class JournalistContactRules : AbstractValidator<JournalistContactDetails>
{
    public JournalistContactRules()
    {
        RuleFor(x => x.Outlet).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.About).MaximumLength(2000);
    }
}

public sealed class FilteringAlertRules : AbstractValidator<FilteringAlertDetails>
{
    public FilteringAlertRules()
    {
        RuleFor(x => x.Provider).NotEmpty().WithMessage("Required.").MaximumLength(100);
        RuleFor(x => x.AlertReference).MaximumLength(100);
        RuleFor(x => x.Category).MaximumLength(100);
    }
}
