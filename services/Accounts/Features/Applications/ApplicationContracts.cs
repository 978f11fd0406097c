using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Features.Applications;

/// <summary>Who an account speaks to (002 Appendix C: pupils with their age range, staff, families, external organisations, other schools' pupils, the public).</summary>
public enum AudienceKind
{
    Pupils,
    Staff,
    Families,
    ExternalOrganisations,
    OtherSchoolsPupils,
    Public,
}

public sealed record Audience(AudienceKind Kind, string? AgeRange = null, string? Description = null);

/// <summary>
/// The business case (000/003/004) in the shape of 002 Appendix C. Which of the optional fields are
/// required is the school's policy (<c>RequiredBusinessCaseFields</c>); the request has no field for a
/// password, a status or an id.
/// </summary>
/// <param name="Visibility"><c>open</c> or <c>closed</c> (004: "privacy setting with a reason"; 002 Appendix C: open or closed), with <see cref="VisibilityReason"/>.</param>
public sealed record ApplicationRequest(
    Guid SchoolId,
    string Platform,
    string Handle,
    IReadOnlyList<Guid> Administrators,
    string? Purpose = null,
    string? ProposedContent = null,
    IReadOnlyList<Audience>? Audiences = null,
    IReadOnlyList<string>? Contributors = null,
    Guid? Moderator = null,
    string? ExternalContributorVetting = null,
    string? Hosting = null,
    DateOnly? GoLiveDate = null,
    string? ContributorRecruitment = null,
    bool PupilsContribute = false,
    string? ParentalConsent = null,
    string? SecurityMeasures = null,
    string? Visibility = null,
    string? VisibilityReason = null,
    string? Evaluation = null,
    string? Url = null,
    string? OfficialEmail = null,
    Guid? CredentialCustodian = null)
{
    public const int MaxText = 4000;

    /// <summary>Policy field names (catalogue keys) and the request field each one requires.</summary>
    public static readonly IReadOnlyDictionary<string, string> PolicyFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["purpose"] = "purpose",
        ["proposed_content"] = "proposedContent",
        ["audiences"] = "audiences",
        ["contributors"] = "contributors",
        ["administrators"] = "administrators",
        ["moderator"] = "moderator",
        ["external_vetting"] = "externalContributorVetting",
        ["hosting"] = "hosting",
        ["go_live_date"] = "goLiveDate",
        ["contributor_recruitment"] = "contributorRecruitment",
        ["parental_consent"] = "parentalConsent",
        ["security_measures"] = "securityMeasures",
        ["open_or_closed"] = "visibility",
        ["evaluation"] = "evaluation",
        ["url"] = "url",
        ["official_email"] = "officialEmail",
    };

    /// <summary>Whether the request gives a value for a request field named by <see cref="PolicyFields"/>.</summary>
    public bool Has(string field) => field switch
    {
        "purpose" => !string.IsNullOrWhiteSpace(Purpose),
        "proposedContent" => !string.IsNullOrWhiteSpace(ProposedContent),
        "audiences" => Audiences is { Count: > 0 },
        "contributors" => Contributors is { Count: > 0 },
        "administrators" => Administrators.Count > 0,
        "moderator" => Moderator is not null,
        "externalContributorVetting" => !string.IsNullOrWhiteSpace(ExternalContributorVetting),
        "hosting" => !string.IsNullOrWhiteSpace(Hosting),
        "goLiveDate" => GoLiveDate is not null,
        "contributorRecruitment" => !string.IsNullOrWhiteSpace(ContributorRecruitment),
        "parentalConsent" => !string.IsNullOrWhiteSpace(ParentalConsent),
        "securityMeasures" => !string.IsNullOrWhiteSpace(SecurityMeasures),
        "visibility" => Visibility is not null,
        "evaluation" => !string.IsNullOrWhiteSpace(Evaluation),
        "url" => !string.IsNullOrWhiteSpace(Url),
        "officialEmail" => !string.IsNullOrWhiteSpace(OfficialEmail),
        _ => true,
    };
}

/// <summary>The shape of an <see cref="ApplicationRequest"/> (400): what no school's policy could make valid.</summary>
public sealed class ApplicationRequestRules : AbstractValidator<ApplicationRequest>
{
    public const int MaxAdministrators = 20;
    public const int MaxAudiences = 20;
    public const int MaxContributors = 100;

    public ApplicationRequestRules()
    {
        RuleFor(x => x.SchoolId).NotEmpty().WithMessage("Required.");
        RuleFor(x => x.Platform).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Required.").MaximumLength(30)
            .Matches("^[a-z0-9_]+$").WithMessage("Lower-case letters, digits and underscores, e.g. instagram, x, youtube.");
        RuleFor(x => x.Handle).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Required.").MaximumLength(100)
            .Matches("^@*[A-Za-z0-9_.-]+$").WithMessage("Letters, digits, '_', '.' and '-' only, optionally after '@'.");
        RuleFor(x => x.Administrators).Cascade(CascadeMode.Stop).NotNull().WithMessage("Required.")
            .Must(a => a.Count <= MaxAdministrators).WithMessage($"At most {MaxAdministrators}.")
            .Must(a => a.All(id => id != Guid.Empty) && a.Distinct().Count() == a.Count).WithMessage("Staff ids, each named once.");
        foreach (var text in new (System.Linq.Expressions.Expression<Func<ApplicationRequest, string?>> Field, int Max)[]
                 {
                     (x => x.Purpose, ApplicationRequest.MaxText), (x => x.ProposedContent, ApplicationRequest.MaxText),
                     (x => x.ExternalContributorVetting, ApplicationRequest.MaxText), (x => x.Hosting, ApplicationRequest.MaxText),
                     (x => x.ContributorRecruitment, ApplicationRequest.MaxText), (x => x.ParentalConsent, ApplicationRequest.MaxText),
                     (x => x.SecurityMeasures, ApplicationRequest.MaxText), (x => x.VisibilityReason, ApplicationRequest.MaxText),
                     (x => x.Evaluation, ApplicationRequest.MaxText),
                 })
        {
            RuleFor(text.Field).MaximumLength(text.Max);
        }

        RuleFor(x => x.Audiences).Must(a => a is null || a.Count <= MaxAudiences).WithMessage($"At most {MaxAudiences}.");
        RuleForEach(x => x.Audiences).ChildRules(audience =>
        {
            audience.RuleFor(a => a.Kind).IsInEnum();
            audience.RuleFor(a => a.AgeRange).MaximumLength(50);
            audience.RuleFor(a => a.Description).MaximumLength(500);
            audience.RuleFor(a => a.AgeRange).NotEmpty().When(a => a.Kind == AudienceKind.Pupils)
                .WithMessage("Required for pupils (002 Appendix C: pupils with their age range).");
        });
        RuleFor(x => x.Contributors).Must(c => c is null || c.Count <= MaxContributors).WithMessage($"At most {MaxContributors}, each 1 to 200 characters.");
        RuleForEach(x => x.Contributors).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Visibility).MaximumLength(6).Matches("^(open|closed)$").WithMessage("open or closed (004: a privacy setting with a reason).");
        RuleFor(x => x.Url).Cascade(CascadeMode.Stop).MaximumLength(500)
            .Must(url => string.IsNullOrEmpty(url) || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            .WithMessage("An absolute http(s) URL.");
        RuleFor(x => x.OfficialEmail).Cascade(CascadeMode.Stop).MaximumLength(254)
            .Must(email => string.IsNullOrEmpty(email) || (email.IndexOf('@', StringComparison.Ordinal) >= 1 && !email.EndsWith('@')))
            .WithMessage("An email address.");
    }
}

public sealed record DecisionResponse(int Step, string Role, DecisionOutcome Outcome, string? Reason, string DecidedBy, string? DecidedByName, Guid? DecidedByStaffId, DateTimeOffset DecidedAt)
{
    public static DecisionResponse From(ApplicationDecision d) => new(d.Step, d.Role, d.Outcome, d.Reason, d.DecidedBy, d.DecidedByName, d.DecidedByStaffId, d.DecidedAt);
}

public sealed record ApplicationResponse(
    Guid Id,
    Guid SchoolId,
    ApplicationStatus Status,
    string Platform,
    string Handle,
    IReadOnlyList<Guid> Administrators,
    IReadOnlyList<string> ApprovalChain,
    /// <summary>The role whose decision is awaited; null once approved or rejected.</summary>
    string? NextStep,
    IReadOnlyList<DecisionResponse> Decisions,
    string PolicyVersion,
    Guid? AccountId,
    string ApplicantSubject,
    Guid? ApplicantStaffId,
    ApplicationRequest BusinessCase,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ApplicationResponse From(AccountApplication a, IEnumerable<ApplicationDecision> decisions) => new(
        a.Id, a.SchoolId, a.Status, a.Platform, a.Handle, a.Administrators, a.ApprovalChain,
        a.Status == ApplicationStatus.Pending ? a.ApprovalChain[a.CurrentStep] : null,
        decisions.OrderBy(d => d.Step).Select(DecisionResponse.From).ToList(),
        a.PolicyVersion, a.AccountId, a.ApplicantSubject, a.ApplicantStaffId,
        BusinessCaseJson.Read(a.BusinessCase), a.CreatedAt, a.UpdatedAt);
}

/// <summary>How the business case is stored (jsonb): the request as the API spells it.</summary>
public static class BusinessCaseJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public static string Write(ApplicationRequest request) => JsonSerializer.Serialize(request, Options);

    public static ApplicationRequest Read(string json) => JsonSerializer.Deserialize<ApplicationRequest>(json, Options)!;
}
