using System.Text.Json;
using System.Text.Json.Serialization;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Http;

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

/// <summary>004: "privacy setting with a reason"; 002 Appendix C: open or closed.</summary>
public enum AccountVisibility
{
    Open,
    Closed,
}

public sealed record Audience(AudienceKind Kind, string? AgeRange = null, string? Description = null);

/// <summary>
/// The business case (000/003/004) in the shape of 002 Appendix C. Which of the optional fields are
/// required is the school's policy (<c>RequiredBusinessCaseFields</c>); the request has no field for a
/// password, a status or an id.
/// </summary>
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
    AccountVisibility? Visibility = null,
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

    /// <summary>Shape checks (400): what no policy could make valid.</summary>
    public FieldErrors Validate()
    {
        var errors = new FieldErrors()
            .Required("platform", Platform, 30)
            .Required("handle", Handle, 100)
            .Optional("purpose", Purpose, MaxText)
            .Optional("proposedContent", ProposedContent, MaxText)
            .Optional("externalContributorVetting", ExternalContributorVetting, MaxText)
            .Optional("hosting", Hosting, MaxText)
            .Optional("contributorRecruitment", ContributorRecruitment, MaxText)
            .Optional("parentalConsent", ParentalConsent, MaxText)
            .Optional("securityMeasures", SecurityMeasures, MaxText)
            .Optional("visibilityReason", VisibilityReason, MaxText)
            .Optional("evaluation", Evaluation, MaxText)
            .Optional("url", Url, 500)
            .Optional("officialEmail", OfficialEmail, 254);
        if (!string.IsNullOrEmpty(Platform) && !Platform.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            errors.Add("platform", "Lower-case letters, digits and underscores, e.g. instagram, x, youtube.");
        }

        if (!string.IsNullOrEmpty(Handle) && !Handle.TrimStart('@').All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            errors.Add("handle", "Letters, digits, '_', '.' and '-' only, optionally after '@'.");
        }

        if (Administrators.Any(a => a == Guid.Empty) || Administrators.Distinct().Count() != Administrators.Count)
        {
            errors.Add("administrators", "Staff ids, each named once.");
        }

        if (Administrators.Count > 20)
        {
            errors.Add("administrators", "At most 20.");
        }

        if (Audiences is { } audiences)
        {
            for (var i = 0; i < audiences.Count; i++)
            {
                errors.Optional($"audiences[{i}].ageRange", audiences[i].AgeRange, 50).Optional($"audiences[{i}].description", audiences[i].Description, 500);
                if (audiences[i].Kind == AudienceKind.Pupils && string.IsNullOrWhiteSpace(audiences[i].AgeRange))
                {
                    errors.Add($"audiences[{i}].ageRange", "Required for pupils (002 Appendix C: pupils with their age range).");
                }
            }
        }

        if (Contributors is { } contributors && (contributors.Count > 100 || contributors.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 200)))
        {
            errors.Add("contributors", "At most 100, each 1 to 200 characters.");
        }

        if (Url is { Length: > 0 } && (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            errors.Add("url", "An absolute http(s) URL.");
        }

        if (OfficialEmail is { Length: > 0 } && (OfficialEmail.IndexOf('@', StringComparison.Ordinal) is < 1 || OfficialEmail.EndsWith('@')))
        {
            errors.Add("officialEmail", "An email address.");
        }

        return errors;
    }

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
