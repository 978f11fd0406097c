using Trust.Platform.Training.Domain.Requirements;
using Trust.Platform.Training.Domain.Sessions;
using Trust.Platform.Training.Features.Roster;
using Trust.Platform.Training.Features.Roster.Sync;
using Trust.Platform.Training.Features.Sessions;

namespace Trust.Platform.Training.Tests;

[Trait("Category", "Unit")]
public sealed class RequirementRulesTests
{
    private static readonly DateOnly Day = new(2026, 11, 2);

    [Fact]
    public void A_satisfied_requirement_is_done_even_after_its_due_date() =>
        RequirementRules.StatusOf(true, Day.AddDays(-10), Day).Should().Be(RequirementStatus.Done);

    [Fact]
    public void An_unsatisfied_requirement_is_due_on_its_due_date_and_overdue_the_day_after()
    {
        RequirementRules.StatusOf(false, Day, Day).Should().Be(RequirementStatus.Due);
        RequirementRules.StatusOf(false, Day, Day.AddDays(1)).Should().Be(RequirementStatus.Overdue);
    }

    [Fact]
    public void A_raised_requirement_is_due_one_policy_window_after_the_day_it_was_raised() =>
        RequirementRules.DueOn(Day, 30).Should().Be(new DateOnly(2026, 12, 2));

    [Fact]
    public void Compliance_is_rounded_to_one_decimal_and_nobody_to_train_is_fully_compliant()
    {
        RequirementRules.PercentCompliant(2, 3).Should().Be(66.7m);
        RequirementRules.PercentCompliant(0, 0).Should().Be(100m);
    }
}

[Trait("Category", "Unit")]
public sealed class RosterRowsTests
{
    private static RosterPersonRow Row(string? misId, string? start = "2024-09-01", string type = "staff", string[]? roles = null, string? leave = null) =>
        new(misId, "Jo Kervick", type, roles ?? ["teacher"], start, leave);

    [Fact]
    public void Bad_rows_are_reported_by_row_and_field_and_the_good_ones_kept_normalised()
    {
        var rows = RosterRows.Parse(new RosterSyncRequest(
        [
            Row("M1", roles: ["Teacher", "e_safety_lead", "teacher"]),
            Row("M2", roles: ["wizard"]),
            Row("M1"),
            Row("", start: "01/09/2024"),
            Row("M5", leave: "2023-01-01"),
        ], [" M9 ", "M9", ""]));

        rows.Valid.Should().ContainSingle().Which.Roles.Should().Equal("e_safety_lead", "teacher");
        rows.Errors.Select(e => (e.Row, e.Field)).Should().Equal((2, "roles"), (3, "misId"), (4, "misId"), (4, "startDate"), (5, "leaveDate"));
        rows.Deletions.Should().Equal("M9");
    }
}

[Trait("Category", "Unit")]
public sealed class SessionRulesTests
{
    private static readonly SessionRequestRules Rules = new();

    [Fact]
    public void A_pupil_session_names_a_year_group_or_a_class()
    {
        var result = Rules.Validate(new SessionRequest(SessionAudience.Pupils, "SMART", new DateOnly(2026, 10, 6), "Computing Lead"));
        result.Errors.Should().ContainSingle(e => e.PropertyName.Equals("yearGroup", StringComparison.OrdinalIgnoreCase));
        Rules.Validate(new SessionRequest(SessionAudience.Pupils, "SMART", new DateOnly(2026, 10, 6), "Computing Lead", ClassName: "Oak")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void A_parent_session_records_how_many_attended()
    {
        Rules.Validate(new SessionRequest(SessionAudience.Parents, "Online safety", new DateOnly(2026, 10, 6), "DSL"))
            .Errors.Should().ContainSingle(e => e.PropertyName.Equals("attendanceCount", StringComparison.OrdinalIgnoreCase));
        Rules.Validate(new SessionRequest(SessionAudience.Parents, "Online safety", new DateOnly(2026, 10, 6), "DSL", AttendanceCount: 40)).IsValid.Should().BeTrue();
    }
}

[Trait("Category", "Unit")]
public sealed class CompletionAndAcknowledgementRulesTests
{
    private static readonly DateOnly Day = new(2026, 11, 2);
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Trust = Guid.CreateVersion7();

    [Fact]
    public void A_completion_expires_its_courses_validity_after_it_was_completed_and_never_without_one()
    {
        var (dated, announced) = Domain.Completions.CompletionRules.New(Trust, Guid.CreateVersion7(), Guid.CreateVersion7(),
            new Model.Course { Id = Guid.CreateVersion7(), Code = "at_risk_pupils", ValidityMonths = 24 }, Day, " National College ", null, 90m, Now);
        var (open, _) = Domain.Completions.CompletionRules.New(Trust, Guid.CreateVersion7(), Guid.CreateVersion7(),
            new Model.Course { Id = Guid.CreateVersion7(), Code = "social_media_policy" }, Day, "NC", null, null, Now);

        dated.ExpiresOn.Should().Be(new DateOnly(2028, 11, 2));
        dated.Provider.Should().Be("National College");
        announced.ExpiresOn.Should().Be(dated.ExpiresOn);
        announced.StaffId.Should().Be(dated.PersonId);
        open.ExpiresOn.Should().BeNull();
    }

    [Fact]
    public void A_completion_tomorrow_or_of_an_unknown_course_is_refused_on_its_field() =>
        Domain.Completions.CompletionRules.Refusals(Day.AddDays(1), null, Day).Should().Equal(
            ("completedOn", "Must not be in the future."), ("courseId", "Not a course of this trust."));

    [Fact]
    public void A_paper_acknowledgement_records_its_method_who_recorded_it_and_the_sheet()
    {
        var version = new Model.PolicyVersion { PolicyVersionId = Guid.CreateVersion7(), Version = "1.0", Statements = ["I have read and understood this policy."] };
        var sheet = Guid.CreateVersion7();

        var (paper, announced) = Domain.Acknowledgements.AcknowledgementRules.New(Trust, Guid.CreateVersion7(), Guid.CreateVersion7(), version, Now,
            Domain.Acknowledgements.AcknowledgementMethod.PaperSheet, "user:head", sheet);
        var (own, _) = Domain.Acknowledgements.AcknowledgementRules.New(Trust, Guid.CreateVersion7(), Guid.CreateVersion7(), version, Now);

        paper.Method.Should().Be("paper_sheet");
        paper.RecordedBy.Should().Be("user:head");
        paper.SheetId.Should().Be(sheet);
        paper.Statements.Should().Equal(version.Statements);
        announced.PolicyVersionId.Should().Be(version.PolicyVersionId);
        own.Method.Should().Be("self");
        own.RecordedBy.Should().BeNull();
    }
}
