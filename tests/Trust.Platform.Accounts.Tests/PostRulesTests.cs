using Trust.Platform.Accounts.Domain.Posts;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The post approval rules (002 l.141-159), without servers.</summary>
[Trait("Category", "Unit")]
public sealed class PostRulesTests
{
    private static readonly Guid Alex = Guid.NewGuid();
    private static readonly string[] Categories = ["celebrations", "events", "achievements"];
    private static readonly string[] Tones = ["professional", "respectful", "balanced"];

    private static Post Pending() => new()
    {
        Id = Guid.NewGuid(), SchoolId = Guid.NewGuid(), AccountId = Guid.NewGuid(), SubmittedBy = "alex", SubmittedByStaffId = Alex,
        Text = "Sports day is on Friday.", Category = "events", ToneKeywords = Tones, Status = PostStatus.Pending,
    };

    private static readonly PostDecider Approver = new("mo", Guid.NewGuid(), "Marketing", MayApprove: true);

    private static PostVerdict Approve(string? finalText = null, params string[] tones) => new(true, null, finalText, tones);

    [Fact]
    public void The_submitter_cannot_decide_their_own_post_even_as_an_approver()
    {
        Decide(Pending(), new PostDecider("alex", null, "Alex", true), Approve(null, Tones)).Should().BeOfType<PostDecideOutcome.SelfApproval>();
        Decide(Pending(), new PostDecider("other-sign-in", Alex, "Alex", true), Approve(null, Tones)).Should().BeOfType<PostDecideOutcome.SelfApproval>();
    }

    [Fact]
    public void Someone_without_a_role_the_policy_names_cannot_decide()
    {
        Decide(Pending(), Approver with { MayApprove = false }, new PostVerdict(false, "No.", null, [])).Should().BeOfType<PostDecideOutcome.NotAnApprover>();
    }

    [Fact]
    public void An_approval_must_confirm_every_tone_keyword_and_names_those_missing()
    {
        var outcome = Decide(Pending(), Approver, Approve(null, "Professional", "balanced"));

        outcome.Should().BeOfType<PostDecideOutcome.ToneUnconfirmed>().Which.Missing.Should().Equal("respectful");
    }

    [Fact]
    public void A_rejection_needs_no_tone_confirmation()
    {
        Decide(Pending(), Approver, new PostVerdict(false, "Names a pupil.", null, [])).Should().BeOfType<PostDecideOutcome.Rejected>();
    }

    [Fact]
    public void An_approval_of_a_category_the_policy_no_longer_allows_is_refused()
    {
        var post = Pending();
        post.Category = "fundraising";

        Decide(post, Approver, Approve(null, Tones)).Should().BeOfType<PostDecideOutcome.CategoryNotAllowed>();
    }

    [Fact]
    public void A_post_is_decided_once()
    {
        var post = Pending();
        var verdict = Approve(null, Tones);
        PostRules.Apply(post, Decide(post, Approver, verdict), Approver, verdict, DateTimeOffset.UnixEpoch);

        Decide(post, Approver, verdict).Should().BeOfType<PostDecideOutcome.AlreadyDecided>().Which.Status.Should().Be(PostStatus.Approved);
    }

    [Fact]
    public void An_approval_keeps_the_submitted_text_beside_the_edited_one_and_records_the_decider()
    {
        var post = Pending();
        var verdict = Approve("Sports day is on Friday 12 July.", Tones);
        var at = new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero);

        PostRules.Apply(post, Decide(post, Approver, verdict), Approver, verdict, at);

        post.Status.Should().Be(PostStatus.Approved);
        post.Text.Should().Be("Sports day is on Friday.");
        post.FinalText.Should().Be("Sports day is on Friday 12 July.");
        PostRules.Edited(post).Should().BeTrue();
        post.ToneConfirmed.Should().Equal(Tones);
        (post.DecidedBy, post.DecidedAt).Should().Be(("mo", at));
    }

    [Fact]
    public void An_approval_without_an_edit_publishes_the_submitted_text()
    {
        var post = Pending();
        var verdict = Approve(null, Tones);

        PostRules.Apply(post, Decide(post, Approver, verdict), Approver, verdict, DateTimeOffset.UnixEpoch);

        post.FinalText.Should().Be(post.Text);
        PostRules.Edited(post).Should().BeFalse();
    }

    [Fact]
    public void A_category_matches_the_policys_spelling_whatever_its_case()
    {
        PostRules.AllowedCategory(" Events ", Categories).Should().Be("events");
        PostRules.AllowedCategory("fundraising", Categories).Should().BeNull();
    }

    private static PostDecideOutcome Decide(Post post, PostDecider decider, PostVerdict verdict) => PostRules.Decide(post, decider, verdict, Categories);
}
