using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Trust.Platform.Client.Incidents.Models;
using Trust.Platform.Console.Cases;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Time;
using IncidentsProblem = Trust.Platform.Client.Incidents.Models.ProblemDetails;
using SubjectKindValue = Trust.Platform.Client.Incidents.Models.SubjectKind;

namespace Trust.Platform.Console.Pages.Schools.Cases;

/// <summary>
/// Files a case at the school, in two steps (one question a page): the type of case, then what happened with the details
/// that type needs (cyberbullying's victim and perpetrator, a contact's sender, the URLs of inappropriate content, ...).
/// The API routes it (to the DSL, the headteacher, the chair) and decides whether the person filing it may read it
/// afterwards; a refusal (400, 422) is shown next to the field it names, with everything typed kept.
/// </summary>
public sealed class ReportModel(GatewayClients api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    /// <summary>The type's wire name; on a GET, the answer to the first step.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public string? SubjectKind { get; set; }

    [BindProperty]
    public string? MisId { get; set; }

    [BindProperty]
    public Guid? RosterId { get; set; }

    [BindProperty]
    public string? Relationship { get; set; }

    [BindProperty]
    public bool Safeguarding { get; set; }

    /// <summary>The platform or site: required for a contact, an offensive comment and an account message; optional otherwise.</summary>
    [BindProperty]
    public string? Platform { get; set; }

    // Cyberbullying (000 l.134-142).
    [BindProperty]
    public string? Victim { get; set; }

    [BindProperty]
    public string? Perpetrator { get; set; }

    /// <summary>When it happened, when the message arrived, when the journalist called, when the alert came: the wall-clock time at the school.</summary>
    [BindProperty]
    public DateTime? HappenedAt { get; set; }

    // Inappropriate content (002 Appendix B).
    /// <summary>The day the content was seen (the form's date).</summary>
    [BindProperty]
    public DateTime? SeenOn { get; set; }

    /// <summary>One full URL a line.</summary>
    [BindProperty]
    public string? FullUrls { get; set; }

    [BindProperty]
    public string? NatureOfContent { get; set; }

    [BindProperty]
    public string? PersonAccessing { get; set; }

    [BindProperty]
    public string? ActionTaken { get; set; }

    // Inappropriate contact (001 l.108, 000 l.175).
    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? ContactKind { get; set; }

    [BindProperty]
    public string? StaffResponded { get; set; }

    // Offensive comment (000 l.131, 004 l.90).
    [BindProperty]
    public string? Moderation { get; set; }

    [BindProperty]
    public string? AudienceInformed { get; set; }

    /// <summary>The official account an offensive comment or a message was on (the Accounts register), when one is chosen.</summary>
    [BindProperty]
    public Guid? AccountId { get; set; }

    // Account message (000 l.102).
    [BindProperty]
    public string? MessageKind { get; set; }

    // Journalist contact (000 l.110).
    [BindProperty]
    public string? Outlet { get; set; }

    [BindProperty]
    public string? About { get; set; }

    // Filtering alert (000 l.86).
    [BindProperty]
    public string? Provider { get; set; }

    [BindProperty]
    public string? AlertReference { get; set; }

    [BindProperty]
    public string? Category { get; set; }

    public string SchoolName { get; private set; } = "";

    public string? SchoolTimeZone { get; private set; }

    /// <summary>The type chosen in the first step; null while it is still to be chosen.</summary>
    public CaseType? Chosen { get; private set; }

    /// <summary>The school's current people (roster), to name a member of staff; null when the caller may not read the roster.</summary>
    public IReadOnlyList<RosterPerson>? Staff { get; private set; }

    /// <summary>The school's open official accounts this person may see in the register, for an offensive comment or a message; null when none may be seen.</summary>
    public IReadOnlyList<OfficialAccount>? Accounts { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    public string? ErrorFor(string field) => Errors.Where(e => e.Field == field).Select(e => e.Message).FirstOrDefault();

    /// <summary>A fresh key for each form shown: a resubmitted form is the same case, a corrected one a new request.</summary>
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString();

    /// <summary>What each type is, in the words of the seeds, for the first step's hints.</summary>
    public static string Hint(CaseType type) => type switch
    {
        CaseType.Cyberbullying => "A pupil or member of staff bullied online, by a pupil, a colleague or an adult.",
        CaseType.Inappropriate_content => "Unsuitable content seen or reached on the school's devices or network (the inappropriate content report form).",
        CaseType.Inappropriate_contact => "A pupil or parent contacted a member of staff on a personal account, by a friend request or a message.",
        CaseType.Offensive_comment => "An offensive comment on one of the school's official accounts, and what was done about it.",
        CaseType.Account_message => "A comment, query or complaint received on an official account: the school's response time starts when it arrived.",
        CaseType.Journalist_contact => "A journalist contacted the school or a member of staff.",
        CaseType.Filtering_alert => "An alert from the school's filtering provider.",
        CaseType.Pupil_conduct_concern => "A concern about how a pupil uses social media.",
        CaseType.Staff_conduct_concern => "A concern about how a member of staff uses social media.",
        CaseType.Whistleblowing => "A concern raised under the whistleblowing procedure.",
        CaseType.Grievance => "A grievance about social media raised by a member of staff.",
        _ => "",
    };

    /// <summary>Set by the first step's form: its answer came back, so no type (or an unknown one) is an error, not a first visit.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Asked { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Chosen is not null)
        {
            await LoadChoicesAsync(ct);
        }
        else if (Asked || Type is { Length: > 0 })
        {
            Errors.Add(("type", "Select the type of case"));
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Chosen is not { } type)
        {
            Errors.Add(("type", "Select the type of case"));
            return Page();
        }

        if (type is CaseType.Offensive_comment or CaseType.Account_message && AccountId is not null && Given(Platform) is null)
        {
            // The platform is the chosen account's: the register says it, so the form need not ask it twice.
            Accounts = await OfficialAccounts.OfSchoolAsync(api.Accounts, SchoolId, ct);
            Platform = Accounts?.FirstOrDefault(a => a.Id == AccountId)?.Platform;
        }

        var request = new ReportCaseRequest
        {
            Type = type,
            Summary = Summary ?? "",
            Safeguarding = Safeguarding ? true : null,
            Subject = Subject(),
        };
        Details(request, type);
        try
        {
            // A retry of the same form (a double click) is the same case, not a second one.
            var key = Request.Form["idempotencyKey"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            var receipt = await api.Incidents.V1.Schools[SchoolId].Cases.PostAsync(request, c => c.Headers.Add("Idempotency-Key", key), ct);
            return Redirect($"/schools/{SchoolId}/cases/{receipt?.Id}?filed=true");
        }
        catch (IncidentsProblem problem) when (problem.ResponseStatusCode is 400 or 422)
        {
            Errors.AddRange(Problems.ForFields(problem, FieldOf, "summary", LabelOf));
            await LoadChoicesAsync(ct);
            return Page();
        }
    }

    private SubjectRequest? Subject() => CaseText.Parse<SubjectKindValue>(SubjectKind) switch
    {
        null => null,
        SubjectKindValue.Pupil => new SubjectRequest { Kind = SubjectKindValue.Pupil, MisId = Given(MisId) },
        SubjectKindValue.Staff => new SubjectRequest { Kind = SubjectKindValue.Staff, RosterId = RosterId },
        SubjectKindValue.Adult => new SubjectRequest { Kind = SubjectKindValue.Adult, Relationship = Given(Relationship) },
        var kind => new SubjectRequest { Kind = kind },
    };

    /// <summary>The detail object the type needs, from the fields its step shows; what was left empty is left out, for the API to name.</summary>
    private void Details(ReportCaseRequest request, CaseType type)
    {
        var at = HappenedAt is { } local ? PlatformClock.AtLocal(local, SchoolTimeZone) : (DateTimeOffset?)null;
        switch (type)
        {
            case CaseType.Cyberbullying:
                request.Cyberbullying = new CyberbullyingDetails
                {
                    Victim = CaseText.Parse<VictimKind>(Victim), Perpetrator = CaseText.Parse<PerpetratorKind>(Perpetrator), IncidentAt = at, Platform = Given(Platform),
                };
                break;
            case CaseType.Inappropriate_content:
                request.InappropriateContent = new InappropriateContentDetails
                {
                    Date = SeenOn is { } day ? new Microsoft.Kiota.Abstractions.Date(day) : null,
                    FullUrls = [.. (FullUrls ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                    NatureOfContent = Given(NatureOfContent), PersonAccessing = Given(PersonAccessing), ActionTaken = Given(ActionTaken),
                };
                break;
            case CaseType.Inappropriate_contact:
                request.InappropriateContact = new InappropriateContactDetails
                {
                    From = Given(From), Platform = Given(Platform), ContactKind = Given(ContactKind), StaffResponded = YesNo(StaffResponded),
                };
                break;
            case CaseType.Offensive_comment:
                request.OffensiveComment = new OffensiveCommentDetails
                {
                    Platform = Given(Platform), Action = CaseText.Parse<ModerationAction>(Moderation), AudienceInformed = YesNo(AudienceInformed),
                    AccountId = AccountId,
                };
                break;
            case CaseType.Account_message:
                request.AccountMessage = new AccountMessageDetails
                {
                    Platform = Given(Platform), Kind = CaseText.Parse<AccountMessageKind>(MessageKind), ReceivedAt = at, AccountId = AccountId,
                };
                break;
            case CaseType.Journalist_contact:
                request.JournalistContact = new JournalistContactDetails { Outlet = Given(Outlet), ContactedAt = at, About = Given(About) };
                break;
            case CaseType.Filtering_alert:
                request.FilteringAlert = new FilteringAlertDetails
                {
                    Provider = Given(Provider), AlertedAt = at, AlertReference = Given(AlertReference), Category = Given(Category),
                };
                break;
            case CaseType.Pupil_conduct_concern:
                request.PupilConductConcern = Concern();
                break;
            case CaseType.Staff_conduct_concern:
                request.StaffConductConcern = Concern();
                break;
            case CaseType.Whistleblowing:
                request.Whistleblowing = Concern();
                break;
            case CaseType.Grievance:
                request.Grievance = Concern();
                break;
        }
    }

    private ConcernDetails? Concern() => Given(Platform) is { } platform ? new ConcernDetails { Platform = platform } : null;

    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool? YesNo(string? answer) => answer switch { "yes" => true, "no" => false, _ => null };

    /// <summary>The label this form gives the API's field (the type's details under the questions CaseDetails asks).</summary>
    private static string? LabelOf(string apiField) => FieldOf(apiField) switch
    {
        "type" => "Type of case",
        "summary" => "What happened",
        "safeguarding" => "Safeguarding",
        "misId" => "Pupil's MIS id",
        "rosterId" => "Member of staff",
        "relationship" => "Their relationship to the school",
        "subjectKind" => "Who it is about",
        null => null,
        _ => apiField[(apiField.LastIndexOf('.') + 1)..].Split('[')[0] is { Length: > 0 } last
            ? CaseDetails.Label(char.ToLowerInvariant(last[0]) + last[1..])
            : null,
    };

    /// <summary>The API's field names (RFC 9457 <c>errors</c>, camel case paths) to this form's fields.</summary>
    private static string? FieldOf(string apiField)
    {
        var path = apiField.ToLowerInvariant();
        var last = path[(path.LastIndexOf('.') + 1)..];
        if (last.IndexOf('[') is > 0 and var bracket)
        {
            last = last[..bracket];
        }

        return path switch
        {
            "type" or "summary" or "safeguarding" => path,
            "subject.misid" => "misId",
            "subject.rosterid" or "subject.isheadteacher" => "rosterId",
            "subject.relationship" => "relationship",
            _ when path.StartsWith("subject", StringComparison.Ordinal) => "subjectKind",
            _ => last switch
            {
                "platform" => "platform",
                "victim" => "victim",
                "perpetrator" => "perpetrator",
                "incidentat" or "receivedat" or "contactedat" or "alertedat" => "happenedAt",
                "date" => "seenOn",
                "fullurls" => "fullUrls",
                "natureofcontent" => "natureOfContent",
                "personaccessing" => "personAccessing",
                "actiontaken" => "actionTaken",
                "from" => "from",
                "contactkind" => "contactKind",
                "staffresponded" => "staffResponded",
                "action" => "moderation",
                "audienceinformed" => "audienceInformed",
                "kind" => "messageKind",
                "accountid" => "accountId",
                "outlet" => "outlet",
                "about" => "about",
                "provider" => "provider",
                "alertreference" => "alertReference",
                "category" => "category",
                _ => null,
            },
        };
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        // The school first: another school's (or trust's) id is the API's 404, which the console shows as its own.
        var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
        SchoolName = school?.Name ?? "";
        SchoolTimeZone = school?.TimeZone;
        Chosen = CaseText.Parse<CaseType>(Type) is { } type && CaseText.ListedTypes.Contains(type) ? type : null;
    }

    /// <summary>
    /// What the details form offers to choose from, read only when it is shown (a report the API accepts redirects without
    /// it): the school's current people (the roster is the school's leaders' and DSL's to read: anyone else is offered no
    /// member of staff by name, and the summary carries who it is about) and, for a comment or a message on an official
    /// account, the school's accounts this person may see in the register.
    /// </summary>
    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        Staff = (await Roster.PeopleAsync(api.Training, SchoolId, ct))?.Where(p => !p.Left).ToList();
        if (Chosen is CaseType.Offensive_comment or CaseType.Account_message)
        {
            Accounts ??= await OfficialAccounts.OfSchoolAsync(api.Accounts, SchoolId, ct);
        }
    }
}
