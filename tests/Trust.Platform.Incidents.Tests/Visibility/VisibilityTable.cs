using Trust.Platform.Incidents.Domain.Cases;
using System.Security.Claims;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Tests.Visibility;

/// <summary>
/// A table of callers and cases covering every combination the case rules look at: role grants in this school, another
/// school and trust-wide, the roster id a token carries, the headteacher recognised by staff id, API keys, and cases
/// varying in school, restriction, "about the headteacher", chair informed, assigned role, subject and reporter.
/// </summary>
public sealed class VisibilityTable
{
    public VisibilityTable(Guid trust, Guid school, Guid otherSchool)
    {
        Trust = trust;
        School = school;
        OtherSchool = otherSchool;
        Viewers = BuildViewers();
        Cases = BuildCases();
    }

    public Guid Trust { get; }

    public Guid School { get; }

    public Guid OtherSchool { get; }

    /// <summary>The roster id of a staff member some cases are about.</summary>
    public Guid SubjectStaff { get; } = Guid.CreateVersion7();

    /// <summary>The roster id the roster (or policy) names as this school's headteacher.</summary>
    public Guid RosterHead { get; } = Guid.CreateVersion7();

    public Guid ReporterKey { get; } = Guid.CreateVersion7();

    /// <summary>The staff id of the school's escalation contact (whistle-blowing and grievance, 001 l.98-102).</summary>
    public Guid ContactStaff { get; } = Guid.CreateVersion7();

    public IReadOnlyList<(string Name, CaseViewer Viewer)> Viewers { get; }

    public IReadOnlyList<IncidentCase> Cases { get; }

    private IReadOnlyList<(string, CaseViewer)> BuildViewers()
    {
        var s = School;
        var o = OtherSchool;
        (string, CaseViewer) User(string name, string[] roles, Guid? staff = null, Guid[]? recognisedHeadOf = null) =>
            (name, CaseViewer.Of(Principal(name.StartsWith("reporter", StringComparison.Ordinal) ? "reporter" : name, roles, staff, null, []), recognisedHeadOf ?? []));
        (string, CaseViewer) Key(string name, Guid key, Guid[] schools) =>
            (name, CaseViewer.Of(Principal("", [], null, key, schools), []));

        return
        [
            User("staff", [$"staff:{s}"]),
            User("reporter", [$"staff:{s}"]),
            User("reporter_elsewhere", [$"staff:{o}"]),
            User("staff_subject", [$"staff:{s}"], SubjectStaff),
            User("head", [$"headteacher:{s}"]),
            User("head_other_school", [$"headteacher:{o}"]),
            User("head_and_dsl", [$"headteacher:{s}", $"dsl:{s}"]),
            User("head_and_dsl_subject", [$"headteacher:{s}", $"dsl:{s}"], SubjectStaff),
            User("dsl", [$"dsl:{s}"]),
            User("dsl_other_school", [$"dsl:{o}"]),
            User("dsl_subject", [$"dsl:{s}"], SubjectStaff),
            User("dsl_recognised_head", [$"dsl:{s}"], RosterHead, [s]),
            User("dsl_recognised_head_elsewhere", [$"dsl:{s}"], RosterHead, [o]),
            User("chair", ["chair"]),
            User("chair_of_school", [$"chair:{s}"]),
            User("chair_subject", ["chair"], SubjectStaff),
            User("admin", ["trust_admin"]),
            User("admin_subject", ["trust_admin"], SubjectStaff),
            User("admin_and_head", ["trust_admin", $"headteacher:{s}"]),
            User("marketing", [$"marketing_officer:{s}"]),
            User("ict", [$"ict_technician:{s}"]),
            User("ict_other_school", [$"ict_technician:{o}"]),
            User("escalation_contact", [$"staff:{s}"], ContactStaff),
            User("nobody", []),
            Key("key_reporter", ReporterKey, []),
            Key("key_reporter_other_school", ReporterKey, [o]),
            Key("key_other", Guid.CreateVersion7(), []),
        ];
    }

    private PlatformPrincipal Principal(string subject, string[] roles, Guid? staff, Guid? key, Guid[] keySchools)
    {
        var claims = new List<Claim> { new(PlatformClaims.Subject, subject), new(PlatformClaims.Trust, Trust.ToString()) };
        claims.AddRange(roles.Select(r => new Claim(PlatformClaims.Role, r)));
        if (staff is { } id)
        {
            claims.Add(new Claim(PlatformClaims.StaffId, id.ToString()));
        }

        if (key is { } k)
        {
            claims.Add(new Claim(PlatformClaims.KeyId, k.ToString()));
            claims.AddRange(keySchools.Select(x => new Claim(PlatformClaims.KeySchool, x.ToString())));
        }

        // Key claims count only on an identity the API-key scheme built.
        return PlatformPrincipal.From(new ClaimsPrincipal(new ClaimsIdentity(claims, key is null ? "test" : AuthSetup.ApiKeyScheme)));
    }

    private IReadOnlyList<IncidentCase> BuildCases()
    {
        var subjects = new (string Kind, string? Ref)[] { ("unknown", null), ("staff", SubjectStaff.ToString()), ("staff", Guid.CreateVersion7().ToString()), ("pupil", SubjectStaff.ToString()) };
        var reporters = new (string Subject, Guid? Key)[] { ("reporter", null), ("someone", null), ("", ReporterKey) };
        var assigned = new[] { Roles.Dsl, Roles.Headteacher, Roles.Chair, Roles.MarketingOfficer, Roles.IctTechnician, CaseRouting.EscalationContact };
        var cases = new List<IncidentCase>();
        var now = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        foreach (var school in new[] { School, OtherSchool })
        foreach (var about in new[] { false, true })
        foreach (var restricted in new[] { false, true })
        foreach (var chairInformed in new[] { false, true })
        foreach (var role in assigned)
        foreach (var (kind, subjectRef) in subjects)
        foreach (var (reporter, key) in reporters)
        {
            cases.Add(new IncidentCase
            {
                TrustId = Trust, Id = Guid.CreateVersion7(), SchoolId = school, CaseType = "staff_conduct_concern", Status = CaseStatus.Open,
                Restricted = restricted, AboutHeadteacher = about, ChairInformed = chairInformed, Summary = "table", SubjectKind = kind,
                SubjectRef = subjectRef, Details = "{}", AssignedRole = role, ReporterSubject = reporter, ReporterKeyId = key,
                ReceivedAt = now, CreatedAt = now,
                EscalationRefs = role == CaseRouting.EscalationContact ? [ContactStaff.ToString(), SubjectStaff.ToString()] : [],
            });
        }

        return cases;
    }
}
