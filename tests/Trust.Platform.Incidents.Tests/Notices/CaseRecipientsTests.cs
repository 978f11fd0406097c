using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.People;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Tests.Notices;

/// <summary>Whom a case's notices go to, as pure logic over the posts of a school: the visibility rule decides first.</summary>
[Trait("Category", "Unit")]
public sealed class CaseRecipientsTests
{
    private static readonly Guid Trust = Guid.CreateVersion7();
    private static readonly Guid School = Guid.CreateVersion7();
    private static readonly Guid Other = Guid.CreateVersion7();

    private static readonly PostHolder Head = Post(Roles.Headteacher);
    private static readonly PostHolder Dsl = Post(Roles.Dsl);
    private static readonly PostHolder Deputy = Post(AppointmentRoles.DeputyDsl);
    private static readonly PostHolder Marketing = Post(Roles.MarketingOfficer);
    private static readonly PostHolder Chair = Post(Roles.Chair);
    private static readonly PostHolder Admin = new() { MemberId = Guid.CreateVersion7(), Post = Roles.TrustAdmin };
    private static readonly PostHolder OtherDsl = Post(Roles.Dsl, Other);

    private static readonly List<PostHolder> Posts = [Head, Dsl, Deputy, Marketing, Chair, Admin, OtherDsl];

    private static PostHolder Post(string post, Guid? school = null) =>
        new() { MemberId = Guid.CreateVersion7(), StaffId = Guid.CreateVersion7(), SchoolId = school ?? School, Post = post };

    private static IncidentCase Case(string assignedRole, bool restricted = false, bool aboutHead = false, string? staffSubject = null, string[]? contacts = null) => new()
    {
        TrustId = Trust, Id = Guid.CreateVersion7(), SchoolId = School, CaseType = "offensive_comment", AssignedRole = assignedRole, Restricted = restricted,
        AboutHeadteacher = aboutHead, SubjectKind = staffSubject is null ? "pupil" : "staff", SubjectRef = staffSubject ?? "A1234567",
        EscalationRefs = contacts ?? [],
    };

    [Fact]
    public void A_new_case_goes_to_the_people_of_its_assigned_role_at_its_school_only()
    {
        CaseRecipients.Assigned(Case(Roles.MarketingOfficer), Posts, []).Should().Equal(Marketing.MemberId);
        CaseRecipients.Assigned(Case(Roles.Dsl), Posts, []).Should().BeEquivalentTo([Dsl.MemberId, Deputy.MemberId], "a deputy acts as the DSL; another school's DSL is not told");
    }

    [Fact]
    public void A_restricted_case_goes_to_the_dsls_and_never_to_the_headteacher_or_the_trust()
    {
        CaseRecipients.Assigned(Case(Roles.Dsl, restricted: true), Posts, []).Should().BeEquivalentTo([Dsl.MemberId, Deputy.MemberId]);
        CaseRecipients.Senior(Case(Roles.Dsl, restricted: true), Posts, [], null).Should().BeEquivalentTo([Dsl.MemberId, Deputy.MemberId],
            "the headteacher may not read it, so its deadline goes to the DSLs");
    }

    [Fact]
    public void A_case_about_the_headteacher_never_reaches_them_even_as_the_dsl_or_when_only_the_roster_names_them()
    {
        var headWhoIsDsl = new PostHolder { MemberId = Head.MemberId, StaffId = Head.StaffId, SchoolId = School, Post = Roles.Dsl };
        var posts = Posts.Append(headWhoIsDsl).ToList();
        var c = Case(Roles.Chair, restricted: true, aboutHead: true, staffSubject: Head.StaffId.ToString());
        CaseRecipients.Assigned(c, posts, []).Should().BeEquivalentTo([Chair.MemberId, Dsl.MemberId, Deputy.MemberId]);
        CaseRecipients.Senior(c, posts, [], null).Should().Equal(Chair.MemberId);

        // The DSL the roster (or the published policy) names as headteacher is its subject too.
        CaseRecipients.Assigned(c, Posts, [Dsl.StaffId!.Value]).Should().BeEquivalentTo([Chair.MemberId, Deputy.MemberId]);
    }

    [Fact]
    public void The_person_a_case_is_about_is_never_told_even_when_they_hold_its_assigned_role()
    {
        var c = Case(Roles.MarketingOfficer, staffSubject: Marketing.StaffId.ToString());
        CaseRecipients.Assigned(c, Posts, []).Should().BeEmpty();
        CaseRecipients.Senior(c, Posts, [], null).Should().Equal(Head.MemberId);
    }

    [Fact]
    public void An_escalation_goes_to_the_headteacher_and_not_to_whoever_escalated_it()
    {
        var c = Case(Roles.MarketingOfficer);
        CaseRecipients.Senior(c, Posts, [], Dsl.StaffId).Should().Equal(Head.MemberId);
        CaseRecipients.Senior(c, Posts, [], Head.StaffId).Should().BeEmpty("the headteacher escalated it themselves, and the chair may not read it");
    }

    [Fact]
    public void A_whistleblowing_case_reaches_only_its_escalation_contacts()
    {
        var c = Case(CaseRouting.EscalationContact, restricted: true, contacts: [Chair.StaffId.ToString()!]);
        CaseRecipients.Assigned(c, Posts, []).Should().Equal(Chair.MemberId);
        CaseRecipients.Senior(c, Posts, [], null).Should().Equal(Chair.MemberId);
    }
}
