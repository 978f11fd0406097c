using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Tests.Cases;

/// <summary>The state changes of a case and its intake as pure rules, no servers.</summary>
[Trait("Category", "Unit")]
public sealed class CaseTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static IncidentCase Case(string type = "account_message", string subject = "unknown", bool restricted = false) => new()
    {
        TrustId = Guid.CreateVersion7(), Id = Guid.CreateVersion7(), SchoolId = Guid.CreateVersion7(), CaseType = type, SubjectKind = subject,
        Restricted = restricted, Status = CaseStatus.Open, AssignedRole = "marketing_officer",
    };

    [Fact]
    public void Closing_an_open_case_records_the_outcome_and_starts_retention_on_the_schools_day()
    {
        var c = Case();
        CaseTransitions.Close(c, "resolved_internally", significant: true, Now, new DateOnly(2026, 3, 10)).Should().Be(CloseOutcome.Closed);
        c.Status.Should().Be(CaseStatus.Closed);
        c.Outcome.Should().Be("resolved_internally");
        c.Significant.Should().BeTrue();
        c.ClosedAt.Should().Be(Now);
        c.RetentionUntil.Should().Be(new DateOnly(2027, 3, 10), "an account message is kept one year after closure");
    }

    [Fact]
    public void Closing_a_closed_case_changes_nothing_and_says_it_is_already_closed()
    {
        var c = Case();
        CaseTransitions.Close(c, "resolved_internally", false, Now, new DateOnly(2026, 3, 10));
        CaseTransitions.Close(c, "police_referral", true, Now.AddDays(1), new DateOnly(2026, 3, 11)).Should().Be(CloseOutcome.AlreadyClosed);
        c.Outcome.Should().Be("resolved_internally");
        c.ClosedAt.Should().Be(Now);
    }

    [Fact]
    public void A_closed_case_is_not_escalated()
    {
        var c = Case();
        CaseTransitions.Escalate(c, "internal").Should().Be(EscalateOutcome.Escalated);
        c.EscalationStep.Should().Be("internal");
        CaseTransitions.Close(c, "disciplinary", false, Now, new DateOnly(2026, 3, 10));
        CaseTransitions.Escalate(c, "police").Should().Be(EscalateOutcome.CaseClosed);
        c.EscalationStep.Should().Be("internal");
    }

    [Fact]
    public void A_case_becomes_overdue_once_when_open_and_past_its_deadline()
    {
        var c = Case();
        c.DueAt = Now;
        CaseTransitions.BecomesOverdue(c, Now.AddMinutes(-1)).Should().BeFalse();
        CaseTransitions.BecomesOverdue(c, Now).Should().BeTrue();
        c.OverdueAt = Now;
        CaseTransitions.BecomesOverdue(c, Now.AddHours(1)).Should().BeFalse("it is flagged once");
        var closed = Case();
        closed.DueAt = Now;
        closed.Status = CaseStatus.Closed;
        CaseTransitions.BecomesOverdue(closed, Now.AddHours(1)).Should().BeFalse();
    }

    [Fact]
    public void A_report_about_the_headteacher_goes_to_the_chair_restricted()
    {
        var report = new CaseReport(CaseType.StaffConductConcern, "Posts about pupils", SubjectKind.Staff, Guid.NewGuid().ToString(), null, null, false, "{}", null);
        var outcome = CaseIntake.Open(Guid.NewGuid(), Guid.NewGuid(), report, aboutHeadteacher: true, Policy(24), new Reporter("staff-1", null), Now);
        var c = outcome.Should().BeOfType<IntakeOutcome.Opened>().Subject.Case;
        c.AssignedRole.Should().Be(Roles.Chair);
        c.Restricted.Should().BeTrue();
        c.AboutHeadteacher.Should().BeTrue();
        c.DueAt.Should().BeNull("only a message on a school account runs the response SLA");
    }

    [Fact]
    public void An_account_message_starts_the_sla_clock_when_it_reached_the_account()
    {
        var received = new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero); // a Tuesday morning in term
        var report = new CaseReport(CaseType.AccountMessage, "Query about the trip", SubjectKind.Unknown, null, null, null, false, "{}", received);
        var c = ((IntakeOutcome.Opened)CaseIntake.Open(Guid.NewGuid(), Guid.NewGuid(), report, false, Policy(24), new Reporter("staff-1", null), Now)).Case;
        c.ReceivedAt.Should().Be(received);
        c.DueAt.Should().Be(received.AddHours(24), "Mellers Primary answers within 24 hours on working days (003 l.91)");
        c.AssignedRole.Should().Be(Roles.MarketingOfficer);
    }

    [Fact]
    public void A_date_of_birth_is_kept_only_for_child_protection()
    {
        var dob = new DateOnly(2015, 5, 1);
        var adult = new CaseReport(CaseType.StaffConductConcern, "x", SubjectKind.Staff, Guid.NewGuid().ToString(), null, dob, false, "{}", null);
        CaseIntake.Open(Guid.NewGuid(), Guid.NewGuid(), adult, false, Policy(24), new Reporter("s", null), Now).Should().BeOfType<IntakeOutcome.DateOfBirthNotKept>();
        var pupil = new CaseReport(CaseType.Cyberbullying, "x", SubjectKind.Pupil, "A1234567", null, dob, false, "{}", null);
        var c = ((IntakeOutcome.Opened)CaseIntake.Open(Guid.NewGuid(), Guid.NewGuid(), pupil, false, Policy(24), new Reporter("s", null), Now)).Case;
        c.Restricted.Should().BeTrue();
        c.DateOfBirth.Should().Be(dob);
        c.RetentionUntil.Should().Be(dob.AddYears(25));
    }

    private static IntakePolicy Policy(int hours) =>
        new(PolicyDefaults.Routing, new SlaSettings(hours, "end_of_next_working_day"), PolicyDefaults.Calendar("Europe/London"));
}
