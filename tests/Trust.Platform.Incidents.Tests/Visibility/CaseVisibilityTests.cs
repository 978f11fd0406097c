using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Tests.Visibility;

/// <summary>
/// The case visibility rule as pure logic, no servers: the function that judges a loaded case and the predicates that
/// list queries use agree for every caller and case of the table, and the rule says what the seeds ask.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CaseVisibilityTests
{
    private static readonly VisibilityTable Table = new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());

    public static TheoryData<string> Viewers()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Table.Viewers)
        {
            data.Add(name);
        }

        return data;
    }

    private static CaseViewer Viewer(string name) => Table.Viewers.Single(v => v.Name == name).Viewer;

    private static CaseView ViewOf(string viewer, Func<IncidentCase, bool> which) => CaseVisibility.ViewOf(Viewer(viewer), Table.Cases.First(which));

    [Theory]
    [MemberData(nameof(Viewers))]
    public void The_list_predicates_select_exactly_the_cases_the_single_load_rule_shows(string name)
    {
        var viewer = Viewer(name);
        var cases = Table.Cases.AsQueryable();
        cases.Where(CaseVisibility.Readable(viewer)).Should().BeEquivalentTo(Table.Cases.Where(c => CaseVisibility.ViewOf(viewer, c) != CaseView.None));
        cases.Where(CaseVisibility.FullyReadable(viewer)).Should().BeEquivalentTo(Table.Cases.Where(c => CaseVisibility.ViewOf(viewer, c) == CaseView.Full));
        cases.Where(CaseVisibility.AuditReadable(viewer)).Should().BeEquivalentTo(Table.Cases.Where(c => CaseVisibility.MayReadAuditOf(viewer, c)));
    }

    [Fact]
    public void The_table_exercises_every_view()
    {
        var views = Table.Viewers.SelectMany(v => Table.Cases.Select(c => CaseVisibility.ViewOf(v.Viewer, c))).ToHashSet();
        views.Should().BeEquivalentTo([CaseView.None, CaseView.Receipt, CaseView.Full]);
    }

    [Theory]
    [InlineData("staff_subject")]
    [InlineData("head_and_dsl_subject")]
    [InlineData("dsl_subject")]
    [InlineData("chair_subject")]
    [InlineData("admin_subject")]
    public void Nobody_sees_a_case_whose_staff_subject_they_are(string name)
    {
        var viewer = Viewer(name);
        var aboutThem = Table.Cases.Where(c => c.SubjectKind == "staff" && c.SubjectRef == viewer.StaffRef).ToList();
        aboutThem.Should().NotBeEmpty();
        aboutThem.Select(c => CaseVisibility.ViewOf(viewer, c)).Should().OnlyContain(v => v == CaseView.None);
        aboutThem.Where(c => CaseVisibility.MayReadAuditOf(viewer, c)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("head")]
    [InlineData("head_and_dsl")]
    [InlineData("admin_and_head")]
    [InlineData("dsl_recognised_head")]
    public void The_schools_headteacher_sees_nothing_of_a_case_about_the_headteacher(string name)
    {
        var viewer = Viewer(name);
        var aboutHead = Table.Cases.Where(c => c.AboutHeadteacher && c.SchoolId == Table.School).ToList();
        aboutHead.Select(c => CaseVisibility.ViewOf(viewer, c)).Should().OnlyContain(v => v == CaseView.None);
        aboutHead.Where(c => CaseVisibility.MayReadAuditOf(viewer, c)).Should().BeEmpty();
    }

    [Fact]
    public void A_case_about_the_headteacher_is_read_whole_by_the_chair_and_a_dsl_who_is_not_the_headteacher()
    {
        bool AboutHead(IncidentCase c) => c.AboutHeadteacher && c.SchoolId == Table.School && c.SubjectKind == "unknown" && c.ReporterSubject == "someone";
        ViewOf("chair", AboutHead).Should().Be(CaseView.Full);
        ViewOf("chair_of_school", AboutHead).Should().Be(CaseView.Full);
        ViewOf("dsl", AboutHead).Should().Be(CaseView.Full);
        ViewOf("dsl_recognised_head_elsewhere", AboutHead).Should().Be(CaseView.Full);
        ViewOf("admin", AboutHead).Should().Be(CaseView.None);
        ViewOf("dsl_other_school", AboutHead).Should().Be(CaseView.None);
    }

    [Fact]
    public void A_restricted_case_is_read_whole_by_the_dsl_only()
    {
        bool Restricted(IncidentCase c) => c.Restricted && !c.AboutHeadteacher && c.ChairInformed && c.AssignedRole == "chair" && c.SchoolId == Table.School &&
            c.SubjectKind == "unknown" && c.ReporterSubject == "someone";
        Table.Viewers.Where(v => CaseVisibility.ViewOf(v.Viewer, Table.Cases.First(Restricted)) == CaseView.Full).Select(v => v.Name)
            .Should().BeEquivalentTo("dsl", "dsl_subject", "dsl_recognised_head", "dsl_recognised_head_elsewhere", "head_and_dsl", "head_and_dsl_subject");
    }

    [Fact]
    public void An_open_case_is_read_whole_by_oversight_and_its_assigned_role_in_its_school()
    {
        bool Ict(IncidentCase c) => !c.Restricted && !c.AboutHeadteacher && !c.ChairInformed && c.AssignedRole == "ict_technician" &&
            c.SchoolId == Table.School && c.SubjectKind == "unknown" && c.ReporterSubject == "someone";
        Table.Viewers.Where(v => CaseVisibility.ViewOf(v.Viewer, Table.Cases.First(Ict)) == CaseView.Full).Select(v => v.Name)
            .Should().BeEquivalentTo("head", "head_and_dsl", "head_and_dsl_subject", "dsl", "dsl_subject", "dsl_recognised_head", "dsl_recognised_head_elsewhere",
                "admin", "admin_subject", "admin_and_head", "ict");
    }

    [Fact]
    public void The_reporter_sees_the_receipt_in_a_school_they_work_for_and_a_key_within_its_schools()
    {
        bool ByReporter(IncidentCase c) => c.Restricted && !c.AboutHeadteacher && c.SchoolId == Table.School && c.SubjectKind == "unknown" && c.ReporterSubject == "reporter";
        bool ByKey(IncidentCase c) => c.Restricted && !c.AboutHeadteacher && c.SchoolId == Table.School && c.SubjectKind == "unknown" && c.ReporterKeyId == Table.ReporterKey;
        ViewOf("reporter", ByReporter).Should().Be(CaseView.Receipt);
        ViewOf("reporter_elsewhere", ByReporter).Should().Be(CaseView.None);
        ViewOf("key_reporter", ByKey).Should().Be(CaseView.Receipt);
        ViewOf("key_reporter_other_school", ByKey).Should().Be(CaseView.None);
        ViewOf("key_other", ByKey).Should().Be(CaseView.None);
    }

    [Fact]
    public void A_pupils_mis_id_equal_to_a_staff_id_does_not_make_the_staff_member_its_subject()
    {
        bool PupilRef(IncidentCase c) => !c.Restricted && !c.AboutHeadteacher && c.SchoolId == Table.School && c.SubjectKind == "pupil" && c.ReporterSubject == "someone";
        ViewOf("dsl_subject", PupilRef).Should().Be(CaseView.Full);
    }

    [Fact]
    public void A_whistleblowing_case_is_read_whole_only_by_the_escalation_contacts_it_went_to_whatever_their_roles()
    {
        bool Escalated(IncidentCase c) => c.AssignedRole == CaseRouting.EscalationContact && c.Restricted && !c.AboutHeadteacher && c.ChairInformed &&
            c.SchoolId == Table.School && c.SubjectKind == "unknown" && c.ReporterSubject == "someone";
        var escalated = Table.Cases.First(Escalated);
        Table.Viewers.Where(v => CaseVisibility.ViewOf(v.Viewer, escalated) == CaseView.Full).Select(v => v.Name)
            .Should().BeEquivalentTo("escalation_contact", "staff_subject", "head_and_dsl_subject", "dsl_subject", "chair_subject", "admin_subject");
        Table.Viewers.Where(v => CaseVisibility.MayReadAuditOf(v.Viewer, escalated)).Select(v => v.Name)
            .Should().BeEquivalentTo("escalation_contact", "staff_subject", "head_and_dsl_subject", "dsl_subject", "chair_subject", "admin_subject");
    }

    [Fact]
    public void A_whistleblowing_case_about_its_contact_is_not_shown_to_that_contact()
    {
        bool AboutContact(IncidentCase c) => c.AssignedRole == CaseRouting.EscalationContact && c.SchoolId == Table.School &&
            c.SubjectKind == "staff" && c.SubjectRef == Table.SubjectStaff.ToString() && c.ReporterSubject == "someone";
        ViewOf("staff_subject", AboutContact).Should().Be(CaseView.None);
        ViewOf("escalation_contact", AboutContact).Should().Be(CaseView.Full);
    }
}
