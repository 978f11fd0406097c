using System.Text.Json.Nodes;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Domain.SchoolPolicies;
using Trust.Platform.Policy.Features.Configuration.Reviews;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Tests;

/// <summary>Policy's own rules without servers: what a school may override, which sections it may amend, a version's life, review status.</summary>
[Trait("Category", "Unit")]
public sealed class PolicyDomainRulesTests
{
    private static readonly SettingDefinition Sla = SettingCatalogue.ByKey["sla.response_hours"];
    private static readonly SettingDefinition Blocked = SettingCatalogue.ByKey["blocked_sites"];

    private static readonly TrustValue FortyEightHoursTightenOnly = new(48, OverrideRule.TightenOnly);

    [Fact]
    public void A_24_hour_override_of_the_trusts_tighten_only_48_is_allowed()
    {
        OverrideRules.Decide(Sla, FortyEightHoursTightenOnly, 24).Should().BeOfType<OverrideDecision.Allowed>()
            .Which.Value!.GetValue<int>().Should().Be(24);
    }

    [Fact]
    public void A_72_hour_override_is_refused_naming_the_rule_and_the_trust_value()
    {
        var refused = OverrideRules.Decide(Sla, FortyEightHoursTightenOnly, 72).Should().BeOfType<OverrideDecision.Refused>().Which;
        refused.Rule.Should().Be("tighten_only");
        refused.TrustValue!.GetValue<int>().Should().Be(48);
        refused.Reason.Should().StartWith("tighten-only");
    }

    [Fact]
    public void A_locked_setting_is_refused_whatever_the_value()
    {
        OverrideRules.Decide(Sla, new TrustValue(48, OverrideRule.Locked), 48).Should().BeOfType<OverrideDecision.Refused>()
            .Which.Rule.Should().Be("locked");
    }

    [Fact]
    public void A_union_only_list_may_add_sites_but_not_drop_the_trusts()
    {
        var trust = new TrustValue(new JsonArray("facebook.com", "instagram.com", "twitter.com"), OverrideRule.UnionOnly);
        OverrideRules.Decide(Blocked, trust, new JsonArray("facebook.com", "instagram.com")).Should().BeOfType<OverrideDecision.Refused>();
        OverrideRules.Decide(Blocked, trust, new JsonArray("facebook.com", "instagram.com", "twitter.com", "tiktok.com")).Should().BeOfType<OverrideDecision.Allowed>();
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_not_a_value_before_any_rule_applies()
    {
        OverrideRules.Decide(Sla, new TrustValue(48, OverrideRule.Locked), "abc").Should().BeOfType<OverrideDecision.NotAValue>();
    }

    [Theory]
    [InlineData("legal-considerations", SectionAmendOutcome.Amendable)]
    [InlineData("definitions", SectionAmendOutcome.Locked)]
    [InlineData("after-scope", SectionAmendOutcome.Amendable)]
    [InlineData("no-such-section", SectionAmendOutcome.NoSuchSection)]
    public void A_school_may_write_only_where_the_default_template_marks_a_section_amendable_or_an_additions_point(string section, SectionAmendOutcome expected)
    {
        SectionRules.MayAmend(PolicyDocument.DefaultTemplate, section).Should().Be(expected);
    }

    private static PolicyVersion Version(VersionKind kind, VersionStatus status, int major = 1, int minor = 0) =>
        new() { Id = Guid.NewGuid(), Kind = kind, Status = status, Major = major, Minor = minor, Summary = "x" };

    [Fact]
    public void The_first_version_is_1_0_and_major_whatever_was_asked_then_minor_and_major_count_on()
    {
        VersionRules.Next(null, VersionKind.Minor).Should().Be((1, 0, VersionKind.Major));
        var published = Version(VersionKind.Major, VersionStatus.Published, 1, 2);
        VersionRules.Next(published, VersionKind.Minor).Should().Be((1, 3, VersionKind.Minor));
        VersionRules.Next(published, VersionKind.Major).Should().Be((2, 0, VersionKind.Major));
    }

    [Fact]
    public void Only_a_draft_is_approved_and_the_approval_is_recorded()
    {
        var draft = Version(VersionKind.Major, VersionStatus.Draft);
        VersionRules.Approve(draft, " Chair of the Board of Trustees ", "Board of Trustees", new DateOnly(2026, 9, 3)).Should().Be(ApproveOutcome.Approved);
        draft.Status.Should().Be(VersionStatus.Approved);
        draft.ApprovedByName.Should().Be("Chair of the Board of Trustees");

        VersionRules.Approve(draft, "Someone else", "Board", new DateOnly(2026, 9, 4)).Should().Be(ApproveOutcome.NotADraft);
        draft.ApprovedByName.Should().Be("Chair of the Board of Trustees", "a refused approval changes nothing");
        VersionRules.Approve(Version(VersionKind.Minor, VersionStatus.Published), "x", "y", new DateOnly(2026, 9, 3)).Should().Be(ApproveOutcome.NotADraft);
    }

    [Theory]
    [InlineData(VersionKind.Major, VersionStatus.Draft, PublishCheck.NeedsApproval)]
    [InlineData(VersionKind.Major, VersionStatus.Approved, PublishCheck.MayPublish)]
    [InlineData(VersionKind.Minor, VersionStatus.Draft, PublishCheck.MayPublish)]
    [InlineData(VersionKind.Minor, VersionStatus.Published, PublishCheck.NotOpen)]
    [InlineData(VersionKind.Major, VersionStatus.Superseded, PublishCheck.NotOpen)]
    public void A_major_version_is_published_once_approved_and_a_published_one_never_again(VersionKind kind, VersionStatus status, PublishCheck expected)
    {
        VersionRules.CanPublish(Version(kind, status)).Should().Be(expected);
    }

    [Fact]
    public void Publishing_supersedes_the_version_published_before()
    {
        var before = Version(VersionKind.Major, VersionStatus.Published);
        var next = Version(VersionKind.Minor, VersionStatus.Draft, 1, 1);
        var now = new DateTimeOffset(2026, 9, 4, 8, 0, 0, TimeSpan.Zero);
        VersionRules.Publish(next, [before], now);
        (before.Status, next.Status, next.PublishedAt).Should().Be((VersionStatus.Superseded, VersionStatus.Published, now));
    }

    [Fact]
    public void Statuses_are_stored_and_shown_as_todays_strings()
    {
        VersionRules.Name(VersionStatus.Superseded).Should().Be("superseded");
        VersionRules.Parse<VersionStatus>("approved").Should().Be(VersionStatus.Approved);
        ReviewSchedule.Name(ReviewStatus.NotSet).Should().Be("not_set");
    }

    [Theory]
    [InlineData("2027-03-01", "2027-03-02", ReviewStatus.Overdue)]
    [InlineData("2027-03-01", "2027-03-01", ReviewStatus.Due)]
    [InlineData("2027-03-01", "2027-01-01", ReviewStatus.Upcoming)]
    [InlineData("2027-03-01", "2026-12-31", ReviewStatus.Ok)]
    public void A_review_is_upcoming_in_the_two_months_before_due_on_the_day_and_overdue_after(string review, string today, ReviewStatus expected)
    {
        ReviewSchedule.Status(DateOnly.Parse(review, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(expected);
        ReviewSchedule.Status(null, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(ReviewStatus.NotSet);
    }
}
